package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Account events written before their transaction id had a column of its own get it from their JSON
 * when the schema is migrated, so a retry of one of them after the upgrade is still found.
 */
class TransactionIdColumnMigrationTest {
  @TempDir Path dir;

  @Test
  void copiesTheIdsOfEventsWrittenBeforeIntoTheColumn() throws Exception {
    try (EmbeddedPostgres pg =
        Database.embeddedServer().setDataDirectory(dir).setCleanDataDirectory(true).start()) {
      DataSource ds = pg.getPostgresDatabase();
      migrate(ds, "8");
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO event_journal (persistence_id, sequence_number, writer, adapter_manifest,"
                + " event_ser_id, event_ser_manifest, event_payload) VALUES"
                + " ('Account|a', 1, 'w', '', 33, 'm',"
                + " convert_to('{\"event\":\"credited\",\"entry\":{\"transactionId\":\"t-1\"}}',"
                + " 'UTF8')),"
                + " ('Account|a', 2, 'w', '', 33, 'm', convert_to('not json', 'UTF8')),"
                + " ('Lead|l', 1, 'w', '', 33, 'm',"
                + " convert_to('{\"event\":\"slot-taken\",\"claimId\":\"c\"}', 'UTF8'))");
      }
      migrate(ds, "latest");
      List<String> rows = new ArrayList<>();
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT persistence_id || ':' || sequence_number || '=' ||"
                      + " coalesce(adapter_manifest, 'null') FROM event_journal"
                      + " ORDER BY persistence_id, sequence_number")) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
      assertThat(rows).containsExactly("Account|a:1=t-1", "Account|a:2=null", "Lead|l:1=");
    }
  }

  private static void migrate(DataSource ds, String target) {
    Flyway.configure()
        .dataSource(ds)
        .locations("classpath:db/migration")
        .target(target)
        .load()
        .migrate();
  }
}
