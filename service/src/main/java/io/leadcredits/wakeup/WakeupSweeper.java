package io.leadcredits.wakeup;

import io.leadcredits.wakeup.WakeupStore.Wakeup;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Polls the durable wake-up table and wakes each entity whose work is due, then moves or removes
 * its reminder according to the entity's answer. One sweep at a time; a failed sweep (database
 * down, entity not answering) leaves the reminders in place for the next one, so nothing is lost.
 */
public final class WakeupSweeper {

  /** Wakes one entity of a type and returns its answer. */
  @FunctionalInterface
  public interface Waker {
    CompletionStage<WakeupReply> wake(String entityId);
  }

  /** Reminders handled per sweep; more wait for the next tick. */
  public static final int batchMax = 500;

  /** The sweeper's own messages: time for a sweep, and a sweep finished. */
  private enum Message {
    TICK,
    SWEPT
  }

  private WakeupSweeper() {}

  /** Sweeps every {@code interval}, one sweep at a time: the next tick is armed when one ends. */
  public static Behavior<Object> create(
      WakeupStore store, Map<String, Waker> wakers, Duration interval, Clock clock) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startSingleTimer(Message.TICK, interval);
                  return Behaviors.receiveMessage(
                      msg -> {
                        if (msg == Message.TICK) {
                          ctx.pipeToSelf(
                              sweep(store, wakers, clock),
                              (n, failure) -> {
                                if (failure != null) {
                                  ctx.getLog()
                                      .warn(
                                          "wake-up sweep failed, retrying: {}", failure.toString());
                                }
                                return Message.SWEPT;
                              });
                        } else {
                          timers.startSingleTimer(Message.TICK, interval);
                        }
                        return Behaviors.same();
                      });
                }));
  }

  /**
   * One sweep: wake every due entity, settle each reminder; completes with how many were settled.
   */
  public static CompletionStage<Integer> sweep(
      WakeupStore store, Map<String, Waker> wakers, Clock clock) {
    return store
        .due(clock.instant(), batchMax)
        .thenCompose(
            due -> {
              List<CompletableFuture<Boolean>> settled = new ArrayList<>();
              for (Wakeup w : due) {
                Waker waker = wakers.get(w.entityType());
                if (waker == null) {
                  continue;
                }
                settled.add(
                    waker
                        .wake(w.entityId())
                        .thenCompose(reply -> store.settle(w, reply.next()))
                        .handle((ok, failure) -> failure == null)
                        .toCompletableFuture());
              }
              return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new))
                  .thenApply(
                      ignored -> (int) settled.stream().filter(CompletableFuture::join).count());
            });
  }
}
