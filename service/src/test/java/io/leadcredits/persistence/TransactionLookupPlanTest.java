package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The look-up of forgotten transaction ids goes through its index whatever the number of ids asked
 * (up to a query's 500) and whatever plan PostgreSQL caches for the prepared statement: never a
 * scan of the account's whole journal, never parallel workers. A hot account's journal holds
 * millions of events, and a plan that read them all took seconds per look-up while the commands
 * that waited for it timed out.
 */
class TransactionLookupPlanTest {
  private static final int events = 200_000;

  @TempDir Path dataDir;

  @Test
  void looksIdsUpThroughTheIndexWhateverTheirNumberAndTheCachedPlan() throws Exception {
    try (Database db = Database.start(TestDatabases.embeddedIn(dataDir));
        Connection c = db.dataSource().getConnection()) {
      try (Statement s = c.createStatement()) {
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
        s.execute("ANALYZE event_journal");
      }
      for (String cache : new String[] {"auto", "force_custom_plan", "force_generic_plan"}) {
        try (Statement s = c.createStatement()) {
          s.execute("SET plan_cache_mode = " + cache);
        }
        for (int asked : new int[] {1, 5, 20, 100, 500}) {
          String plan = plan(c, asked);
          assertThat(plan)
              .as("%d ids, plan cache %s:%n%s", asked, cache, plan)
              .contains("event_journal_account_transactions")
              .doesNotContain("Gather")
              .doesNotContain("Seq Scan")
              .doesNotContain("event_journal_pkey");
        }
      }
    }
  }

  /** The look-up's own statement, prepared as the driver prepares it, explained. */
  private static String plan(Connection c, int asked) throws Exception {
    String[] ids =
        IntStream.range(0, asked).mapToObj(i -> "t-" + (i * 397 % events)).toArray(String[]::new);
    StringBuilder plan = new StringBuilder();
    try (PreparedStatement s = c.prepareStatement("EXPLAIN " + JdbcTransactionLookup.EVENTS)) {
      Array array = c.createArrayOf("text", ids);
      s.setString(1, "Account|hot");
      s.setArray(2, array);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
    }
    return plan.toString();
  }
}
