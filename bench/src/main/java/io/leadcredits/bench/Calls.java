package io.leadcredits.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/** Request helpers for seeding and checking (not the measured load). */
final class Calls {
  /** An answer of 503 or a broken connection is retried this often with the same request. */
  private static final int attemptsMax = 8;

  private static final long retryDelayMillis = 250;

  private Calls() {}

  /** Sends until the service decides (any status but 5xx or a transport failure). */
  static CompletableFuture<HttpResponse<byte[]>> decided(BenchHttp http, HttpRequest request) {
    return attempt(http, request, 1);
  }

  private static CompletableFuture<HttpResponse<byte[]>> attempt(
      BenchHttp http, HttpRequest request, int attempt) {
    return http.send(request)
        .handle(
            (response, failure) -> {
              int status = BenchHttp.status(response, failure);
              if (status >= 100 && status < 500) {
                return CompletableFuture.completedFuture(response);
              }
              if (attempt >= attemptsMax) {
                return CompletableFuture.<HttpResponse<byte[]>>failedFuture(
                    new IllegalStateException(
                        request.method() + " " + request.uri() + " failed: status " + status));
              }
              Executor later =
                  CompletableFuture.delayedExecutor(
                      retryDelayMillis * attempt, TimeUnit.MILLISECONDS);
              return CompletableFuture.supplyAsync(() -> null, later)
                  .thenCompose(x -> attempt(http, request, attempt + 1));
            })
        .thenCompose(f -> f);
  }

  /** Sends a 2xx-or-fail request: seeding must succeed before anything is measured. */
  static CompletableFuture<HttpResponse<byte[]>> ok(BenchHttp http, HttpRequest request) {
    return decided(http, request)
        .thenApply(
            r -> {
              if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(
                    request.method()
                        + " "
                        + request.uri()
                        + " answered "
                        + r.statusCode()
                        + ": "
                        + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
              }
              return r;
            });
  }

  /**
   * Runs tasks 0..count-1 with at most {@code concurrency} in flight; fails on the first failure.
   */
  static void each(int count, int concurrency, IntFunction<CompletableFuture<?>> task)
      throws InterruptedException {
    Semaphore permits = new Semaphore(concurrency);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    for (int i = 0; i < count && failed.get() == null; i++) {
      permits.acquire();
      task.apply(i)
          .whenComplete(
              (r, e) -> {
                if (e != null) {
                  failed.compareAndSet(null, e);
                }
                permits.release();
              });
    }
    permits.acquire(concurrency);
    if (failed.get() != null) {
      throw new IllegalStateException(Calls.message(failed.get()), failed.get());
    }
  }

  static String message(Throwable e) {
    Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }
}
