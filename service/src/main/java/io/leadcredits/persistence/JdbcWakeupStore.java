package io.leadcredits.persistence;

import io.leadcredits.wakeup.WakeupStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import javax.sql.DataSource;

/**
 * The wake-up table ({@code V2__wakeups.sql}) over plain JDBC. JDBC blocks, so every call runs on
 * this store's own small thread pool and never on the caller's thread (an actor's dispatcher). The
 * pool's queue is bounded: past it a call fails at once instead of piling up behind a slow
 * database.
 */
public final class JdbcWakeupStore implements WakeupStore, AutoCloseable {
  /** Matches the Database pool: more threads would only wait for a connection. */
  private static final int THREADS = 4;

  /** Calls waiting for a thread; beyond this the database is not keeping up, and callers retry. */
  public static final int QUEUE_LENGTH_MAX = 10_000;

  /** One sweep reads at most this many reminders, bounding the sweeper's memory and its burst. */
  public static final int DUE_LIMIT_MAX = 10_000;

  private static final int ENTITY_TYPE_LENGTH_MAX = 32;
  private static final int ENTITY_ID_LENGTH_MAX = 64;

  // least(): an earlier reminder is never pushed later by a newer, later one; the entity, once
  // woken, reports its next due time through settle().
  private static final String SCHEDULE =
      "INSERT INTO wakeups (entity_type, entity_id, due_at) VALUES (?, ?, ?) "
          + "ON CONFLICT (entity_type, entity_id) "
          + "DO UPDATE SET due_at = least(wakeups.due_at, excluded.due_at), version = wakeups.version + 1";
  private static final String DUE =
      "SELECT entity_type, entity_id, due_at, version FROM wakeups WHERE due_at <= ? "
          + "ORDER BY due_at LIMIT ?";
  // Both settle statements match the version that was read: every schedule bumps it, so a reminder
  // written while its entity was being woken (even with an unchanged due time) survives the settle.
  private static final String DELETE =
      "DELETE FROM wakeups WHERE entity_type = ? AND entity_id = ? AND version = ?";
  private static final String MOVE =
      "UPDATE wakeups SET due_at = ?, version = version + 1 WHERE entity_type = ? AND entity_id = ? AND version = ?";

  private final DataSource dataSource;
  private final ThreadPoolExecutor executor;

  public JdbcWakeupStore(DataSource dataSource) {
    this.dataSource = dataSource;
    this.executor = BlockingPool.of("wakeup-store", THREADS, QUEUE_LENGTH_MAX);
  }

  @Override
  public CompletionStage<Void> schedule(String entityType, String entityId, Instant dueAt) {
    requireKey(entityType, entityId);
    return run(
        c -> {
          try (PreparedStatement s = c.prepareStatement(SCHEDULE)) {
            s.setString(1, entityType);
            s.setString(2, entityId);
            s.setObject(3, timestamp(dueAt));
            s.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public CompletionStage<List<Wakeup>> due(Instant now, int limit) {
    if (limit < 1 || limit > DUE_LIMIT_MAX) {
      throw new IllegalArgumentException("limit must be 1.." + DUE_LIMIT_MAX + ": " + limit);
    }
    return run(
        c -> {
          try (PreparedStatement s = c.prepareStatement(DUE)) {
            s.setObject(1, timestamp(now));
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
              List<Wakeup> due = new ArrayList<>();
              while (rs.next()) {
                Instant dueAt = rs.getObject(3, OffsetDateTime.class).toInstant();
                due.add(new Wakeup(rs.getString(1), rs.getString(2), dueAt, rs.getLong(4)));
              }
              return List.copyOf(due);
            }
          }
        });
  }

  @Override
  public CompletionStage<Void> settle(Wakeup wakeup, Optional<Instant> next) {
    requireKey(wakeup.entityType(), wakeup.entityId());
    return run(
        c -> {
          try (PreparedStatement s = c.prepareStatement(next.isEmpty() ? DELETE : MOVE)) {
            int i = 1;
            if (next.isPresent()) {
              s.setObject(i++, timestamp(next.get()));
            }
            s.setString(i++, wakeup.entityType());
            s.setString(i++, wakeup.entityId());
            s.setLong(i, wakeup.version());
            s.executeUpdate();
          }
          return null;
        });
  }

  /** Stops taking calls; calls already queued still run. */
  @Override
  public void close() {
    executor.shutdown();
  }

  private <T> CompletionStage<T> run(SqlWork<T> work) {
    try {
      return CompletableFuture.supplyAsync(() -> withConnection(work), executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private <T> T withConnection(SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.apply(c);
    } catch (SQLException e) {
      throw new WakeupStoreException(e);
    }
  }

  /**
   * PostgreSQL keeps microseconds; truncating here makes the stored value exactly the one a later
   * {@code due} returns, which {@code settle} compares against.
   */
  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  private static void requireKey(String entityType, String entityId) {
    if (entityType == null
        || entityType.isEmpty()
        || entityType.length() > ENTITY_TYPE_LENGTH_MAX) {
      throw new IllegalArgumentException(
          "entity type must be 1.." + ENTITY_TYPE_LENGTH_MAX + " chars");
    }
    if (entityId == null || entityId.isEmpty() || entityId.length() > ENTITY_ID_LENGTH_MAX) {
      throw new IllegalArgumentException("entity id must be 1.." + ENTITY_ID_LENGTH_MAX + " chars");
    }
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  /** A failed wake-up query; the cause says why. Unchecked so it can complete a future. */
  public static final class WakeupStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WakeupStoreException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
