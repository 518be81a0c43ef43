package io.leadcredits.persistence;

import io.leadcredits.account.SnapshotWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes snapshots into the table of pekko-persistence-jdbc's snapshot store, in its format (the
 * serializer's id and manifest beside the bytes), on one background thread. While an entity's
 * snapshot waits, a newer one replaces it: only the latest state matters. Losing a snapshot
 * (database down, shutdown) only makes the next recovery replay more events.
 *
 * <p>A snapshot needs no fence against a second writer: it is taken after its events were written
 * by this node, so it is the state the journal holds at that sequence number, and a row already
 * there for it is kept. Only older snapshots are deleted.
 */
public final class JdbcSnapshotWriter implements SnapshotWriter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JdbcSnapshotWriter.class);

  /** Entities with a snapshot waiting, at most; beyond, a snapshot is skipped until the next. */
  private static final int waitingMax = 10_000;

  private static final Duration drainWaitMax = Duration.ofSeconds(10);

  private static final String INSERT =
      "INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot_ser_id,"
          + " snapshot_ser_manifest, snapshot_payload) VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (persistence_id, sequence_number) DO NOTHING";
  private static final String DELETE_OLDER =
      "DELETE FROM snapshot WHERE persistence_id = ? AND sequence_number < ?";

  private record Pending(long sequenceNr, Object state, Serialization serialization) {}

  private final DataSource dataSource;
  private final Map<String, Pending> waiting = new ConcurrentHashMap<>();
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "snapshot-writer");
            thread.setDaemon(true);
            return thread;
          });

  public JdbcSnapshotWriter(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void save(
      String persistenceId, long sequenceNr, Object state, Serialization serialization) {
    if (waiting.size() >= waitingMax && !waiting.containsKey(persistenceId)) {
      log.debug("snapshot of {} skipped: {} entities waiting", persistenceId, waitingMax);
      return;
    }
    Pending before = waiting.put(persistenceId, new Pending(sequenceNr, state, serialization));
    if (before == null) {
      try {
        executor.execute(() -> write(persistenceId));
      } catch (RejectedExecutionException closed) {
        waiting.remove(persistenceId);
      }
    }
  }

  private void write(String persistenceId) {
    Pending p = waiting.remove(persistenceId);
    if (p == null) {
      return;
    }
    try {
      Serializer serializer = p.serialization().findSerializerFor(p.state());
      byte[] payload = serializer.toBinary(p.state());
      String manifest = Serializers.manifestFor(serializer, p.state());
      insert(persistenceId, p.sequenceNr(), serializer.identifier(), manifest, payload);
    } catch (Exception e) {
      log.warn(
          "could not write the snapshot of {} at {}: {}",
          persistenceId,
          p.sequenceNr(),
          e.toString());
    }
  }

  private void insert(
      String persistenceId, long sequenceNr, int serializerId, String manifest, byte[] payload)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement(INSERT);
          PreparedStatement delete = c.prepareStatement(DELETE_OLDER)) {
        insert.setString(1, persistenceId);
        insert.setLong(2, sequenceNr);
        insert.setLong(3, System.currentTimeMillis());
        insert.setInt(4, serializerId);
        insert.setString(5, manifest);
        insert.setBytes(6, payload);
        insert.executeUpdate();
        delete.setString(1, persistenceId);
        delete.setLong(2, sequenceNr);
        delete.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** Writes what is waiting (for a bounded time), then stops. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(drainWaitMax.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("snapshots still waiting at shutdown were dropped");
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
