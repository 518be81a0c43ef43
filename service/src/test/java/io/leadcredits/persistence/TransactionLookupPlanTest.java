package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The look-up of forgotten transaction ids goes through its index with the ids asked as the index
 * condition, whatever their number (up to a query's 500), whatever plan PostgreSQL caches for the
 * prepared statement, and whether or not the journal has statistics yet: never a scan of the
 * account's whole journal or of its whole range of the index, never parallel workers. A hot
 * account's journal holds millions of events; a plan that read them all took seconds per look-up
 * while the commands that waited for it timed out.
 */
class TransactionLookupPlanTest {
  private static final int events = 200_000;

  @TempDir Path dataDir;

  @Test
  void looksIdsUpThroughTheIndexWhateverTheirNumberTheCachedPlanAndTheStatistics()
      throws Exception {
    try (Database db = Database.start(TestDatabases.embeddedIn(dataDir));
        Connection c = db.dataSource().getConnection()) {
      try (Statement s = c.createStatement()) {
        // No statistics until this test gathers them, as in a new journal's first minute.
        s.execute("ALTER TABLE event_journal SET (autovacuum_enabled = false)");
        // A hot account's journal as the account writes it: debits, reservations and captures.
        s.execute(
            "INSERT INTO event_journal (persistence_id, sequence_number, writer,"
                + " write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest,"
                + " event_payload)"
                + " SELECT 'Account|hot', i, 'w', 0, 't-' || (i / 3 * 2 + i % 3 / 2), 33,"
                + " 'io.leadcredits.account.AccountEvent$Debited',"
                + " convert_to('{\"event\":\"debited\",\"entry\":{\"transactionId\":\"t-'"
                + " || (i / 3 * 2 + i % 3 / 2) || '\",\"amount\":1}}', 'UTF8')"
                + " FROM generate_series(1, "
                + events
                + ") i");
      }
      // Every event of each id asked, in journal order whatever the order asked; none of an id
      // the journal lacks.
      assertThat(found(c, "t-3", "t-none", "t-2"))
          .containsExactly(payload("t-2"), payload("t-2"), payload("t-3"));
      for (String statistics : new String[] {"none yet", "analyzed"}) {
        if (statistics.equals("analyzed")) {
          try (Statement s = c.createStatement()) {
            s.execute("ANALYZE event_journal");
          }
        }
        for (String cache : new String[] {"auto", "force_custom_plan", "force_generic_plan"}) {
          try (Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = " + cache);
          }
          for (int asked : new int[] {1, 5, 20, 100, 500}) {
            String plan = plan(c, asked);
            assertThat(plan)
                .as("%d ids, statistics %s, plan cache %s:%n%s", asked, statistics, cache, plan)
                .contains("event_journal_account_transactions_by_manifest_idx")
                .containsPattern("Index Cond: .*adapter_manifest")
                .doesNotContainPattern("Filter: .*adapter_manifest")
                .doesNotContain("Gather")
                .doesNotContain("Seq Scan")
                .doesNotContain("event_journal_pkey");
          }
        }
      }
    }
  }

  /** The payloads of the events the look-up's own statement reads for these ids. */
  private static List<String> found(Connection c, String... ids) throws Exception {
    List<String> payloads = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(JdbcTransactionLookup.EVENTS)) {
      JdbcTransactionLookup.bind(c, s, "Account|hot", ids);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          payloads.add(new String(rs.getBytes(3), StandardCharsets.UTF_8));
        }
      }
    }
    return payloads;
  }

  private static String payload(String transactionId) {
    return "{\"event\":\"debited\",\"entry\":{\"transactionId\":\""
        + transactionId
        + "\",\"amount\":1}}";
  }

  /** The look-up's own statement, prepared as the driver prepares it, explained. */
  private static String plan(Connection c, int asked) throws Exception {
    String[] ids =
        IntStream.range(0, asked).mapToObj(i -> "t-" + (i * 397 % events)).toArray(String[]::new);
    StringBuilder plan = new StringBuilder();
    try (PreparedStatement s = c.prepareStatement("EXPLAIN " + JdbcTransactionLookup.EVENTS)) {
      JdbcTransactionLookup.bind(c, s, "Account|hot", ids);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
    }
    return plan.toString();
  }
}
