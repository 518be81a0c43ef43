package io.leadcredits.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Pekko's asks and stream results are Scala futures seen as {@code CompletionStage}s, and those
 * stages run every callback asynchronously on the JDK's common pool — even {@code handle} and
 * {@code thenApply}. On a 2-core machine the common pool has a parallelism of one, and then the JDK
 * starts a new thread for every callback: a thread per HTTP request. Every such stage the engine
 * hands out is re-homed on a plain {@code CompletableFuture}, completed on the actor system's
 * dispatcher, so callers' callbacks run there.
 */
public final class Stages {
  private Stages() {}

  public static <T> CompletionStage<T> on(Executor executor, CompletionStage<T> stage) {
    CompletableFuture<T> plain = new CompletableFuture<>();
    stage.whenCompleteAsync(
        (value, failure) -> {
          if (failure == null) {
            plain.complete(value);
          } else {
            plain.completeExceptionally(failure);
          }
        },
        executor);
    return plain;
  }
}
