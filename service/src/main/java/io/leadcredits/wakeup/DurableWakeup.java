package io.leadcredits.wakeup;

import java.time.Instant;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * What one entity knows of its durable wake-up, and the one rule about it: work that needs waking
 * (a hold that expires, a claim that must finish) is written only once a wake-up row due no later
 * than that work is known to exist. An entity asks {@link #covers} before it writes such work; if
 * not covered, it writes the row first ({@link #write}) and holds the work until {@link #written}.
 * Not state: it lives with the incarnation; after a restart nothing is known ({@link #forget}), and
 * the next piece of work writes a row again: redundant, never missing.
 */
public final class DurableWakeup {
  private final WakeupStore store;
  private final String entityType;
  private final String entityId;

  /** The earliest due time of a row known to be written; null when none is known. */
  private Instant due;

  private boolean writing;

  public DurableWakeup(WakeupStore store, String entityType, String entityId) {
    this.store = store;
    this.entityType = entityType;
    this.entityId = entityId;
  }

  /** Whether a row due at or before {@code by} is known to exist. */
  public boolean covers(Instant by) {
    return due != null && !due.isAfter(by);
  }

  /** Whether any row is known to exist. */
  public boolean known() {
    return due != null;
  }

  /**
   * Writes a row due at {@code at}, unless a write is already in flight; its outcome comes back to
   * the entity as the message {@code outcome} makes of it (true: written).
   */
  public <T> void write(ActorContext<T> context, Instant at, Function<Boolean, T> outcome) {
    if (writing) {
      return;
    }
    writing = true;
    context.pipeToSelf(
        store.schedule(entityType, entityId, at), (ok, failure) -> outcome.apply(failure == null));
  }

  /** The write of a row due at {@code at} ended; when it succeeded, that row covers from now. */
  public void written(Instant at, boolean ok) {
    writing = false;
    if (ok && (due == null || at.isBefore(due))) {
      due = at;
    }
  }

  /**
   * The entity told the sweeper, which woke it, when it is next due ({@code null}: never); the
   * sweeper moves or removes the row to match.
   */
  public void settled(Instant next) {
    due = next;
  }

  /** After a restart: nothing is known, and a write in flight will be answered to no one. */
  public void forget() {
    due = null;
    writing = false;
  }
}
