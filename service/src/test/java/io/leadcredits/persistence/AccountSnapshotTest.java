package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.account.AccountState;
import io.leadcredits.support.Await;
import io.leadcredits.support.EntityTestKits;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Reply;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service writes account snapshots beside the account (not while holding its commands), into
 * the table Pekko's snapshot store reads, and recovery starts from them.
 */
class AccountSnapshotTest {
  private static final String PID = "Account|sa";
  private static final int credits = 250;

  @TempDir Path dataDir;

  @Test
  void snapshotsAreWrittenInTheBackgroundAndRecoveryStartsFromThem() throws Exception {
    try (RunningService service = new RunningService(dataDir)) {
      for (int i = 1; i <= credits; i++) {
        assertThat(service.credit("sa", 1, "s-" + i).status()).isEqualTo(200);
      }
    }
    long snapshotAt;
    try (Database db = Database.start(TestDatabases.embeddedIn(dataDir))) {
      // One snapshot is kept (older ones are pruned), and it is the state at its sequence number:
      // with the default of one every 100 events, the balance after that many credits of 1.
      Await.until(Duration.ofSeconds(10), "a snapshot of sa", () -> snapshotCount(db) == 1);
      snapshotAt = snapshotSequenceNr(db);
      assertThat(snapshotAt).isBetween(100L, (long) credits);
      // Read as Pekko reads it: with a grant per top-up the snapshot is over 32 KiB, so compressed.
      AccountState state = stored(db);
      assertThat(state.version()).isEqualTo(snapshotAt);
      assertThat(state.balance()).isEqualTo(snapshotAt);
      assertThat(state.grants().size()).isEqualTo((int) snapshotAt);
      // Only the snapshot can now tell the account what happened up to it.
      execute(
          db,
          "DELETE FROM event_journal WHERE persistence_id = ? AND sequence_number <= "
              + snapshotAt);
    }
    try (RunningService service = new RunningService(dataDir)) {
      Reply read = service.account("sa");
      assertThat(read.status()).as(read.body().toString()).isEqualTo(200);
      assertThat(read.body().get("balance").asLong()).isEqualTo(credits);
      // The remembered transaction ids came back with it: the first one is a replay.
      assertThat(service.credit("sa", 1, "s-1").raw().headers().firstValue("Idempotent-Replayed"))
          .contains("true");
    }
  }

  private static long snapshotCount(Database db) {
    try {
      return queryLong(db, "SELECT count(*) FROM snapshot WHERE persistence_id = ?");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long snapshotSequenceNr(Database db) throws Exception {
    return queryLong(db, "SELECT sequence_number FROM snapshot WHERE persistence_id = ?");
  }

  private static long queryLong(Database db, String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, PID);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static AccountState stored(Database db) throws Exception {
    ActorTestKit testKit = ActorTestKit.create(EntityTestKits.config());
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT snapshot_ser_id, snapshot_ser_manifest, snapshot_payload FROM snapshot"
                    + " WHERE persistence_id = ?")) {
      s.setString(1, PID);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return (AccountState)
            SerializationExtension.get(testKit.system())
                .deserialize(rs.getBytes(3), rs.getInt(1), rs.getString(2))
                .get();
      }
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static void execute(Database db, String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, PID);
      assertThat(s.executeUpdate()).isPositive();
    }
  }
}
