package io.leadcredits.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The answer of an engine to an operation it does not offer: the benchmark's baselines offer only
 * what the benchmark drives. It comes as a stage that has already failed with this, so the HTTP
 * layer sees it before waiting for anything and answers exactly as it answers a route that does not
 * exist (404 NOT_FOUND); nothing was attempted.
 */
public final class Unsupported extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private Unsupported(String operation) {
    // No stack trace: this is an answer, not a fault.
    super(operation + " is not offered by this engine", null, false, false);
  }

  /** The stage an engine returns for {@code operation}, which it does not offer. */
  public static <T> CompletionStage<T> stage(String operation) {
    return CompletableFuture.failedFuture(new Unsupported(operation));
  }

  /** Whether {@code stage} has already failed as unsupported; false while it is under way. */
  public static boolean answered(CompletionStage<?> stage) {
    if (!(stage instanceof CompletableFuture<?> f) || !f.isCompletedExceptionally()) {
      return false;
    }
    return is(f.handle((value, failure) -> failure).getNow(null));
  }

  /** Whether {@code failure}, as a stage reports it, is this. */
  public static boolean is(Throwable failure) {
    Throwable t = failure instanceof CompletionException c ? c.getCause() : failure;
    return t instanceof Unsupported;
  }
}
