package io.leadcredits.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A request/response client of one running service at {@code base}, holding tokens it accepts: the
 * JDK's client, HTTP/1.1 with keep-alive. For everything but the measured load (that is {@link
 * WireClient}): tests, seeding, checks. A transport failure is an exception, so a caller can tell
 * "no answer" from an answer.
 */
public final class HttpApi {
  /** Above the service's request timeout (ask timeout 5s + 2s), so the service answers first. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private static final Duration connectTimeout = Duration.ofSeconds(5);

  /** A request answered 5xx or not at all is sent again this often before it fails. */
  private static final int attemptsMax = 8;

  private static final long retryDelayMillis = 250;

  private static final ObjectMapper json = new ObjectMapper();

  private final URI base;
  private final Tokens tokens;
  private final Duration requestTimeout;
  private final HttpClient client;

  /** The judge of every answer, or null where no document is on the class path. */
  private final Contract contract;

  public HttpApi(URI base, Tokens tokens) {
    this(base, tokens, REQUEST_TIMEOUT);
  }

  /** With a request not answered within {@code requestTimeout} counted as no answer. */
  public HttpApi(URI base, Tokens tokens, Duration requestTimeout) {
    this(base, tokens, requestTimeout, Contract.fromClassPath().orElse(null));
  }

  /**
   * Every answer is checked against {@code contract} (null: none) before the caller sees it: an
   * answer the OpenAPI document does not allow fails the caller with a {@link Contract.Violation}.
   */
  public HttpApi(URI base, Tokens tokens, Duration requestTimeout, Contract contract) {
    this.base = base;
    this.tokens = tokens;
    this.requestTimeout = requestTimeout;
    this.contract = contract;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .build();
  }

  public URI base() {
    return base;
  }

  public Tokens tokens() {
    return tokens;
  }

  /** The admin's token. */
  public String admin() {
    return tokens.admin();
  }

  /** The token of the tradie who owns {@code accountId}. */
  public String tradie(String accountId) {
    return tokens.tradie(accountId);
  }

  /** Sends one request; throws when no HTTP answer came back (refused, reset, timed out). */
  public Reply send(String method, String path, String token, String body)
      throws IOException, InterruptedException {
    return send(new Request(method, path, token, body));
  }

  /** Sends one request; throws when no HTTP answer came back (refused, reset, timed out). */
  public Reply send(Request request) throws IOException, InterruptedException {
    try {
      return sendAsync(request).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof Contract.Violation violation) {
        throw violation;
      }
      throw new IllegalStateException(request + " failed", e.getCause());
    }
  }

  public CompletableFuture<Reply> sendAsync(Request request) {
    return sendAsync(request, requestTimeout, Map.of());
  }

  /** With this request's own timeout and extra headers. */
  public CompletableFuture<Reply> sendAsync(
      Request request, Duration timeout, Map<String, String> headers) {
    String body = request.body();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(request.path()))
            .timeout(timeout)
            .method(
                request.method(),
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (request.token() != null) {
      b.header("Authorization", "Bearer " + request.token());
    }
    headers.forEach(b::header);
    return client
        .sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            r -> {
              judge(request, r);
              return new Reply(r.statusCode(), parse(r.body()), r);
            });
  }

  private void judge(Request request, HttpResponse<String> r) {
    if (contract != null) {
      contract.check(Contract.exchange(r));
    }
  }

  /**
   * Sends until the service decides (any status but 5xx, an answer at all), waiting a little longer
   * before each attempt; fails after {@value #attemptsMax} attempts.
   */
  public CompletableFuture<Reply> decided(Request request, Duration timeout) {
    return attempt(request, timeout, 1);
  }

  private CompletableFuture<Reply> attempt(Request request, Duration timeout, int attempt) {
    return sendAsync(request, timeout, Map.of())
        .handle(
            (reply, failure) -> {
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof Contract.Violation) {
                return CompletableFuture.<Reply>failedFuture(cause); // an answer, a wrong one
              }
              int status = status(reply, failure);
              if (status >= 100 && status < 500) {
                return CompletableFuture.completedFuture(reply);
              }
              if (attempt >= attemptsMax) {
                return CompletableFuture.<Reply>failedFuture(
                    new IllegalStateException(request + " failed: status " + status));
              }
              Executor later =
                  CompletableFuture.delayedExecutor(
                      retryDelayMillis * attempt, TimeUnit.MILLISECONDS);
              return CompletableFuture.supplyAsync(() -> null, later)
                  .thenCompose(x -> attempt(request, timeout, attempt + 1));
            })
        .thenCompose(f -> f);
  }

  /** Sends until decided, and fails unless the answer is 2xx: set-up and reads that must work. */
  public CompletableFuture<Reply> ok(Request request) {
    return decided(request, requestTimeout)
        .thenApply(
            r -> {
              if (r.status() / 100 != 2) {
                throw new IllegalStateException(
                    request + " answered " + r.status() + ": " + r.raw().body());
              }
              return r;
            });
  }

  /** A read by the admin that must answer 200 at once: any other answer is an exception. */
  public JsonNode get(String path) {
    try {
      Reply r = send(Request.get(path, admin()));
      if (r.status() != 200) {
        throw new IllegalStateException(
            "GET " + path + " answered " + r.status() + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: GET " + path, e);
    }
  }

  /**
   * The status of a finished exchange, as {@link WireClient} reports it: -1 for a transport
   * failure, 0 for a timeout.
   */
  public static int status(Reply reply, Throwable failure) {
    if (failure == null) {
      return reply.status();
    }
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof Contract.Violation violation) {
      throw violation; // an answer came, one the document does not allow: not "no answer"
    }
    return cause instanceof HttpTimeoutException ? 0 : -1;
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
