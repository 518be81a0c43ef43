package io.leadcredits.wakeup;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Durable reminders that an entity has work due at a time: a hold to expire, a claim to finish. An
 * actor timer dies with its actor (passivation, crash, a move to another node); this store is what
 * wakes the entity again. Entities write here <em>before</em> persisting the event that creates the
 * due work, so due work can never exist without its reminder; a reminder without work is harmless.
 */
public interface WakeupStore {

  /** Remembers that the entity must be woken at {@code dueAt}; an earlier reminder is kept. */
  CompletionStage<Void> schedule(String entityType, String entityId, Instant dueAt);

  /** Reminders due at {@code now}, earliest first, at most {@code limit}. */
  CompletionStage<List<Wakeup>> due(Instant now, int limit);

  /**
   * Settles a reminder after its entity was woken: removed when {@code next} is empty, else moved
   * to {@code next}. Does nothing if the reminder was written since it was read (a newer schedule
   * wins, even one with the same due time).
   */
  CompletionStage<Void> settle(Wakeup wakeup, Optional<Instant> next);

  /** A reminder as read; {@code version} identifies this write of it. */
  record Wakeup(String entityType, String entityId, Instant dueAt, long version) {}
}
