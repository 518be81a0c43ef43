package io.leadcredits.testkit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/** Asynchronous tasks run with a bound on how many are in flight at once. */
public final class InFlight {
  private InFlight() {}

  /**
   * Runs tasks 0..count-1 with at most {@code inFlightMax} in flight; fails on the first failure,
   * starting no task after it.
   */
  public static void each(int count, int inFlightMax, IntFunction<CompletableFuture<?>> task)
      throws InterruptedException {
    Semaphore permits = new Semaphore(inFlightMax);
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
    permits.acquire(inFlightMax);
    if (failed.get() != null) {
      throw new IllegalStateException(reason(failed.get()), failed.get());
    }
  }

  private static String reason(Throwable e) {
    Throwable cause = e;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }
}
