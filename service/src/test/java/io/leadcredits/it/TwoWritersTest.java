package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcredits.persistence.JournalSequences;
import io.leadcredits.support.JwtTokens;
import io.leadcredits.support.TestPostgres;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.OperationLog.Operation;
import io.leadcredits.testkit.OperationLog.Outcome;
import io.leadcredits.testkit.ServiceProcess;
import io.leadcredits.testkit.Tokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 5 of issue 4: a second node started by mistake on the same journal database, without
 * joining the first one's cluster, refuses to start (the writer lock) while the first one runs and
 * serves on; the journal refuses an event at a sequence number already taken (its primary key, the
 * second line of defence); once the first node is gone, even SIGKILLed, a node starts on the
 * database again; the journal has no gap and no duplicate and every acknowledged change is there.
 */
class TwoWritersTest {
  private static final String JWT_SECRET = "two-writers-test-secret-0123456789abcdef";
  private static final Tokens tokens = JwtTokens.of(JWT_SECRET);
  private static final List<String> jvm = List.of("-Xmx256m");
  private static final Duration refusalDeadline = Duration.ofSeconds(90);
  private static final Duration resolveDeadline = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void aSecondStandaloneNodeOnTheSameDatabaseRefusesToStartAndTheJournalStaysClean()
      throws Exception {
    try (EmbeddedPostgres pg = startPostgres()) {
      Map<String, String> external =
          Map.of(
              "LEADCREDITS_DB_URL", pg.getJdbcUrl("postgres", "postgres"),
              "LEADCREDITS_DB_USER", "postgres",
              "LEADCREDITS_DB_PASSWORD", "");
      OperationLog ops = new OperationLog();
      ServiceProcess first =
          ServiceProcess.start(dir.resolve("a"), tokens, dir.resolve("a.log"), external, jvm);
      try (first) {
        credit(first.api(), ops, "before");

        ServiceProcess second =
            ServiceProcess.launch(dir.resolve("b"), tokens, dir.resolve("b.log"), external, jvm);
        try (second) {
          Optional<Integer> exit = second.exitWithin(refusalDeadline);
          assertThat(exit).as("the second node refused to start: %s", second.output()).isPresent();
          assertThat(exit.get()).isNotZero();
          assertThat(second.output()).contains("in use by another leadcredits node");
        }

        credit(first.api(), ops, "while-refused");
        assertThat(first.api().get("/api/audit").get("ok").asBoolean()).isTrue();
        assertThat(ops.check(ops.read(first.api()), Instant.now())).isEmpty();
        assertDuplicateEventRefused(pg);
        assertThat(first.kill()).isEqualTo(ServiceProcess.SIGKILL_EXIT_STATUS);
      }

      // The lock belonged to the killed node's session: PostgreSQL released it with the session.
      try (ServiceProcess next =
          ServiceProcess.start(dir.resolve("b"), tokens, dir.resolve("b2.log"), external, jvm)) {
        credit(next.api(), ops, "after");
        assertThat(ops.check(ops.read(next.api()), Instant.now())).isEmpty();
      }
      JournalSequences.Report journal = JournalSequences.check(pg.getPostgresDatabase());
      assertThat(journal.violations()).as("no gap, no duplicate").isEmpty();
      assertThat(journal.events()).isPositive();
    }
  }

  private static void credit(HttpApi api, OperationLog ops, String round) {
    for (int i = 0; i < 6; i++) {
      Operation op = Operation.credit("t" + (i % 3), round + "-" + i, 10 + i);
      assertThat(ops.sendUntilDefinite(api, op, resolveDeadline).outcome()).isEqualTo(Outcome.OK);
    }
  }

  /** A second writer's event at a sequence number already taken is refused by the journal. */
  private static void assertDuplicateEventRefused(EmbeddedPostgres pg) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      assertThatThrownBy(
              () ->
                  s.executeUpdate(
                      "INSERT INTO event_journal (persistence_id, sequence_number, writer,"
                          + " event_ser_id, event_ser_manifest, event_payload)"
                          + " SELECT persistence_id, sequence_number, 'second-writer', event_ser_id,"
                          + " event_ser_manifest, event_payload FROM event_journal"
                          + " WHERE persistence_id = 'Account|t0' AND sequence_number = 1"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
    }
  }

  private EmbeddedPostgres startPostgres() throws IOException {
    return TestPostgres.start(dir.resolve("pg"), ServiceProcess.freePort());
  }
}
