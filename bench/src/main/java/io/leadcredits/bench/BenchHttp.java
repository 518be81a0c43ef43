package io.leadcredits.bench;

import io.leadcredits.testkit.WireClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The load generator's HTTP client: the JDK's, HTTP/1.1 with keep-alive (each closed-loop client
 * keeps reusing one pooled connection), answers handled on a small fixed pool of threads. Chosen
 * over Pekko HTTP's client because it needs no actor system or stream materialisation per
 * connection in the generator's JVM: one selector thread plus the completion threads, so the CPU it
 * takes from the 2-core machine stays small (the report measures it).
 */
final class BenchHttp implements AutoCloseable {
  /** A request not answered within this is counted as a timeout. */
  static final Duration requestTimeout = WireClient.REQUEST_TIMEOUT;

  /** Completion threads: enough to keep the selector busy, few enough to stay cheap. */
  private static final int completionThreads = 2;

  private final ExecutorService executor;
  private final HttpClient client;
  private final String base;

  BenchHttp(int port) {
    this.executor =
        Executors.newFixedThreadPool(
            completionThreads,
            r -> {
              Thread t = new Thread(r, "bench-http");
              t.setDaemon(true);
              return t;
            });
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(requestTimeout)
            .executor(executor)
            .build();
    this.base = "http://127.0.0.1:" + port;
  }

  HttpRequest get(String path, String token) {
    return builder(path, token).GET().build();
  }

  HttpRequest post(String path, String token, String json) {
    return builder(path, token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .build();
  }

  HttpRequest postEmpty(String path, String token) {
    return builder(path, token).POST(HttpRequest.BodyPublishers.noBody()).build();
  }

  HttpRequest delete(String path, String token) {
    return builder(path, token).DELETE().build();
  }

  HttpRequest get(String path, String token, Duration timeout) {
    return builder(path, token).timeout(timeout).GET().build();
  }

  CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request) {
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The status of a finished exchange: -1 for a transport failure, 0 for a client timeout. */
  static int status(HttpResponse<?> response, Throwable failure) {
    if (failure == null) {
      return response.statusCode();
    }
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    return cause instanceof HttpTimeoutException ? 0 : -1;
  }

  private HttpRequest.Builder builder(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(requestTimeout);
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
