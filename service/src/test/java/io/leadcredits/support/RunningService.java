package io.leadcredits.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.EngineKind;
import io.leadcredits.auth.Role;
import io.leadcredits.service.Configs;
import io.leadcredits.service.Service;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole service as production starts it ({@link Service#start}), on an embedded PostgreSQL in a
 * directory of the test's, reached over real HTTP. Stop and start it again on the same directory to
 * test what survives a restart.
 */
public final class RunningService implements AutoCloseable {
  private static final ObjectMapper json = new ObjectMapper();

  private final Path dataDir;
  private final EngineKind kind;
  private final Map<String, Object> overrides;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Service engine;

  public RunningService(Path dataDir) {
    this(dataDir, EngineKind.ACTORS);
  }

  /** The service with the given engine behind the same HTTP API. */
  public RunningService(Path dataDir, EngineKind kind) {
    this(dataDir, kind, Map.of());
  }

  /** With settings of the test's own on top (an external database, shorter timeouts). */
  public RunningService(Path dataDir, EngineKind kind, Map<String, Object> overrides) {
    this.dataDir = dataDir;
    this.kind = kind;
    this.overrides = Map.copyOf(overrides);
    start();
  }

  public void start() {
    Map<String, Object> settings = new java.util.HashMap<>();
    settings.put("leadcredits.engine", kind.label());
    settings.put("leadcredits.data-dir", dataDir.toString());
    settings.put("leadcredits.db.url", "");
    settings.put("leadcredits.http.host", "127.0.0.1");
    settings.put("leadcredits.http.port", 0);
    settings.putAll(overrides);
    engine = Service.start(Configs.load(settings));
  }

  public void stop() {
    // A baseline keeps its own pool; close it before the database it points at goes away.
    if (engine.credits() instanceof AutoCloseable baseline) {
      try {
        baseline.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the " + kind.label() + " engine failed", e);
      }
    }
    engine.close();
  }

  @Override
  public void close() {
    stop();
  }

  public Service engine() {
    return engine;
  }

  public String token(String subject, Role role) {
    return engine.jwt().issue(subject, role, Duration.ofHours(1));
  }

  public String admin() {
    return token("ops", Role.ADMIN);
  }

  /** A response: status, headers and the parsed JSON body (null when the body is empty). */
  public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    public String code() {
      return body == null || !body.has("code") ? null : body.get("code").asText();
    }
  }

  public Reply send(String method, String path, String token, String body) {
    return sendAsync(method, path, token, body, Map.of()).join();
  }

  /**
   * A request whose body the server refuses unread (over the size limit). The server answers and
   * closes the connection while the client may still be uploading, and the client then sometimes
   * loses the answer to the reset: a transport failure is sent again, an answer is returned as is.
   */
  public Reply sendRefusedBody(String method, String path, String token, String body) {
    for (int attempt = 1; ; attempt++) {
      try {
        return send(method, path, token, body);
      } catch (java.util.concurrent.CompletionException e) {
        if (!(e.getCause() instanceof java.io.IOException) || attempt == 5) {
          throw e;
        }
      }
    }
  }

  public Reply send(
      String method, String path, String token, String body, Map<String, String> headers) {
    return sendAsync(method, path, token, body, headers).join();
  }

  public CompletableFuture<Reply> sendAsync(
      String method, String path, String token, String body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.httpPort() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    headers.forEach(b::header);
    return client
        .sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(RunningService::parse);
  }

  private static Reply parse(HttpResponse<String> r) {
    try {
      JsonNode node = r.body() == null || r.body().isBlank() ? null : json.readTree(r.body());
      return new Reply(r.statusCode(), node, r);
    } catch (IOException e) {
      return new Reply(r.statusCode(), null, r);
    }
  }

  // ---- the calls most tests make ------------------------------------------------------------

  public Reply credit(String accountId, long amount, String transactionId) {
    return send(
        "POST",
        "/api/accounts/" + accountId + "/credits",
        admin(),
        "{\"amount\":" + amount + ",\"transactionId\":\"" + transactionId + "\"}");
  }

  public Reply createLead(String leadId, long cost, int maxClaims) {
    return send(
        "POST",
        "/api/leads",
        admin(),
        "{\"leadId\":\""
            + leadId
            + "\",\"creditCost\":"
            + cost
            + ",\"maxClaims\":"
            + maxClaims
            + "}");
  }

  public Reply account(String accountId) {
    return send("GET", "/api/accounts/" + accountId, admin(), null);
  }

  public Reply audit() {
    return send("GET", "/api/audit", admin(), null);
  }
}
