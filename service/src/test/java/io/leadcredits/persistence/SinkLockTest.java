package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.JdbcSinkOffsets;
import io.leadcredits.feed.SinkLock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node at a time runs a sink: the lock of a sink held by one session is refused to another
 * until released; sinks lock independently of each other and of the writer lock; a holder whose
 * session ended can no longer store the sink's cursor.
 */
class SinkLockTest {
  @TempDir static Path dataDir;
  private static Database db;

  @BeforeAll
  static void start() {
    db = Database.start(TestDatabases.embeddedIn(dataDir));
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  private static Optional<SinkLock> lock(String sink) throws SQLException {
    return SinkLock.tryAcquire(db.jdbcUrl(), db.user(), db.password(), sink);
  }

  @Test
  void oneHolderAtATimeAndTheNextOneOnceReleased() throws Exception {
    try (WriterLock writers = WriterLock.acquire(db.jdbcUrl(), db.user(), db.password(), false)) {
      SinkLock first = lock("lock-a").orElseThrow();
      assertThat(lock("lock-a")).isEmpty();
      try (SinkLock other = lock("lock-b").orElseThrow()) {
        assertThat(other.held()).isTrue();
      }
      first.save(new FeedCursor(3, 4, 0));
      first.close();
      try (SinkLock next = lock("lock-a").orElseThrow()) {
        next.save(new FeedCursor(5, 6, 0));
      }
      assertThat(new JdbcSinkOffsets(db.dataSource()).load("lock-a"))
          .isEqualTo(new FeedCursor(5, 6, 0));
    }
  }

  @Test
  void aHolderWhoseSessionEndedCannotStoreTheCursor() throws Exception {
    SinkLock lock = lock("lock-c").orElseThrow();
    lock.save(new FeedCursor(1, 1, 0));
    // The database ends the holder's session, as a restart or a network cut would.
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_locks"
                    + " WHERE locktype = 'advisory' AND classid = ?::oid AND objsubid = 2")) {
      s.setLong(1, SinkLock.LOCK_CLASS);
      s.execute();
    }
    assertThat(lock.held()).isFalse();
    assertThatThrownBy(() -> lock.save(new FeedCursor(2, 2, 0))).isInstanceOf(SQLException.class);
    lock.close();
    try (SinkLock next = lock("lock-c").orElseThrow()) {
      assertThat(new JdbcSinkOffsets(db.dataSource()).load("lock-c"))
          .isEqualTo(new FeedCursor(1, 1, 0));
    }
  }
}
