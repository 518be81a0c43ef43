package io.leadcredits.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.Role;
import io.leadcredits.support.RunningService.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client of one running service at {@code base}, signing its own tokens with the service's
 * secret, for tests that run the service in another process. Transport failures are thrown, so a
 * caller can tell "no answer" from an answer.
 */
public final class HttpApi {
  /** Above the service's request timeout (ask timeout 5s + 2s), so the service answers first. */
  private static final Duration requestTimeout = Duration.ofSeconds(15);

  private static final Duration connectTimeout = Duration.ofSeconds(3);
  private static final Duration tokenTtl = Duration.ofHours(2);
  private static final ObjectMapper json = new ObjectMapper();

  /** Who sends a request: the token's subject and role. */
  public record Caller(String subject, Role role) {
    public static final Caller ADMIN = new Caller("ops", Role.ADMIN);

    public static Caller tradie(String accountId) {
      return new Caller(accountId, Role.TRADIE);
    }
  }

  private final URI base;
  private final Jwt jwt;
  private final HttpClient client;
  private final Map<Caller, String> tokens = new ConcurrentHashMap<>();

  public HttpApi(URI base, Jwt jwt) {
    this.base = base;
    this.jwt = jwt;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .build();
  }

  public URI base() {
    return base;
  }

  /** Sends one request; throws when no HTTP answer came back (refused, reset, timed out). */
  public Reply send(String method, String path, Caller caller, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(requestTimeout)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (caller != null) {
      b.header("Authorization", "Bearer " + token(caller));
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), parse(r.body()), r);
  }

  /** A read by the admin that must succeed: any other answer fails the test. */
  public JsonNode get(String path) {
    try {
      Reply r = send("GET", path, Caller.ADMIN, null);
      if (r.status() != 200) {
        throw new AssertionError("GET " + path + " answered " + r.status() + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: GET " + path, e);
    }
  }

  private String token(Caller caller) {
    return tokens.computeIfAbsent(caller, c -> jwt.issue(c.subject(), c.role(), tokenTtl));
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return json.readTree(body);
    } catch (IOException e) {
      return null; // not JSON: the status says enough
    }
  }
}
