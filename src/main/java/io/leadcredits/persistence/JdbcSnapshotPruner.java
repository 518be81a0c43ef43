package io.leadcredits.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes superseded snapshots in the background, on one thread with a bounded queue. Losing a
 * prune (queue full, database down) only leaves an old snapshot behind until the next one.
 */
public final class JdbcSnapshotPruner implements SnapshotPruner, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JdbcSnapshotPruner.class);

  /** Prunes waiting at most; each is tiny, and a skipped one is redone by the next snapshot. */
  private static final int queueLengthMax = 1_000;

  private static final String DELETE =
      "DELETE FROM snapshot WHERE persistence_id = ? AND sequence_number < ?";

  private final DataSource dataSource;
  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          1,
          1,
          0L,
          TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(queueLengthMax),
          runnable -> {
            Thread thread = new Thread(runnable, "snapshot-pruner");
            thread.setDaemon(true);
            return thread;
          });

  public JdbcSnapshotPruner(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void pruneBefore(String persistenceId, long sequenceNr) {
    try {
      executor.execute(() -> delete(persistenceId, sequenceNr));
    } catch (RejectedExecutionException full) {
      log.debug("snapshot prune of {} skipped: queue full", persistenceId);
    }
  }

  private void delete(String persistenceId, long sequenceNr) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(DELETE)) {
      s.setString(1, persistenceId);
      s.setLong(2, sequenceNr);
      s.executeUpdate();
    } catch (Exception e) {
      log.warn("could not prune snapshots of {}: {}", persistenceId, e.toString());
    }
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
