package io.leadcredits.support;

import io.leadcredits.wakeup.WakeupStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The wake-up port in memory, for entity tests that run without a database; the JDBC store has its
 * own tests against the real PostgreSQL. Can be switched to failing, like a database that is down,
 * or to stalled, like a database whose answers are lost: writes then never complete.
 */
public final class InMemoryWakeupStore implements WakeupStore {
  private final Map<String, Wakeup> rows = new ConcurrentHashMap<>();
  private volatile boolean failing;
  private volatile boolean stalled;

  public void failing(boolean failing) {
    this.failing = failing;
  }

  public void stalled(boolean stalled) {
    this.stalled = stalled;
  }

  public Optional<Instant> dueOf(String type, String id) {
    return Optional.ofNullable(rows.get(type + "/" + id)).map(Wakeup::dueAt);
  }

  @Override
  public CompletionStage<Void> schedule(String entityType, String entityId, Instant dueAt) {
    if (failing) {
      return CompletableFuture.failedFuture(new IllegalStateException("database down"));
    }
    if (stalled) {
      return new CompletableFuture<>();
    }
    rows.merge(
        entityType + "/" + entityId,
        new Wakeup(entityType, entityId, dueAt, 0),
        (old, neu) ->
            new Wakeup(
                entityType,
                entityId,
                old.dueAt().isBefore(dueAt) ? old.dueAt() : dueAt,
                old.version() + 1));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<List<Wakeup>> due(Instant now, int limit) {
    List<Wakeup> due = new ArrayList<>();
    rows.values().stream()
        .filter(w -> !w.dueAt().isAfter(now))
        .sorted(Comparator.comparing(Wakeup::dueAt))
        .limit(limit)
        .forEach(due::add);
    return CompletableFuture.completedFuture(due);
  }

  @Override
  public CompletionStage<Void> settle(Wakeup wakeup, Optional<Instant> next) {
    String key = wakeup.entityType() + "/" + wakeup.entityId();
    if (next.isPresent()) {
      rows.replace(
          key,
          wakeup,
          new Wakeup(wakeup.entityType(), wakeup.entityId(), next.get(), wakeup.version() + 1));
    } else {
      rows.remove(key, wakeup);
    }
    return CompletableFuture.completedFuture(null);
  }
}
