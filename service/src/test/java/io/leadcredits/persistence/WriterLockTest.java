package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcredits.support.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One standalone node per journal database, or any number of cluster members, never both: the
 * writer lock is exclusive for the first, shared among the others, and goes with its holder.
 */
class WriterLockTest {
  @TempDir Path dataDir;

  @Test
  void aStandaloneNodeExcludesEveryOtherNodeAndClusterMembersShare() {
    try (Database db = Database.start(TestDatabases.embeddedIn(dataDir))) {
      try (WriterLock standalone = lock(db, false)) {
        assertThatThrownBy(() -> lock(db, false))
            .hasMessageContaining("in use by another leadcredits node");
        assertThatThrownBy(() -> lock(db, true))
            .hasMessageContaining("in use by a standalone leadcredits node");
      }
      try (WriterLock member = lock(db, true);
          WriterLock otherMember = lock(db, true)) {
        assertThatThrownBy(() -> lock(db, false))
            .hasMessageContaining("in use by another leadcredits node");
      }
      // Released with its holders: a standalone node may start again.
      lock(db, false).close();
    }
  }

  @Test
  void aNodeWhoseLockWasTakenWhileItsConnectionWasDownIsToldToStop() throws Exception {
    try (Database db = Database.start(TestDatabases.embeddedIn(dataDir));
        WriterLock first = lock(db, false)) {
      CountDownLatch stopped = new CountDownLatch(1);
      first.onLost(stopped::countDown);
      // The first node's session dies (as in a database restart) and a second node is quicker.
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.executeQuery(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'");
      }
      try (WriterLock second = lock(db, false)) {
        assertThat(stopped.await(30, TimeUnit.SECONDS))
            .as("the first node is told to stop")
            .isTrue();
      }
    }
  }

  @Test
  void theMemberLockSaysWhetherOtherLiveMembersExistAndComesBackWithItsConnection()
      throws Exception {
    try (Database db = Database.start(TestDatabases.embeddedIn(dataDir));
        WriterLock starting = lock(db, true)) {
      assertThat(starting.othersAreMembers()).as("nobody is a member yet").isFalse();
      try (WriterLock up = lock(db, true)) {
        up.holdMemberLock();
        assertThat(starting.othersAreMembers()).as("another node is Up").isTrue();
        assertThat(up.othersAreMembers()).as("its own lock is not another member's").isFalse();
        // The Up node's session dies (a database restart): its watchdog takes both locks again.
        try (Connection c = db.dataSource().getConnection();
            Statement s = c.createStatement()) {
          s.executeQuery(
              "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                  + " AND classid = "
                  + WriterLock.MEMBER_LOCK_CLASS);
        }
        Await.until(
            Duration.ofSeconds(30),
            "the member lock taken again",
            () -> {
              try {
                return starting.othersAreMembers();
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
      }
      assertThat(starting.othersAreMembers()).as("released when the member closes").isFalse();
    }
  }

  private static WriterLock lock(Database db, boolean clustered) {
    // No waiting for a holder to go away: every holder here is alive.
    return WriterLock.acquire(db.jdbcUrl(), db.user(), db.password(), clustered, Duration.ZERO);
  }
}
