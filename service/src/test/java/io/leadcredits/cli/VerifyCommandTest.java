package io.leadcredits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Settings;
import io.leadcredits.auth.Role;
import io.leadcredits.persistence.Database;
import io.leadcredits.service.Configs;
import io.leadcredits.support.RunningService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code leadcredits verify} on a real journal: clean after real traffic, refused while the service
 * holds the data, and exit 1 naming the damage when the journal is tampered with.
 */
class VerifyCommandTest {
  @TempDir Path dataDir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void passesAfterRealTrafficAndFailsOnABrokenChainOrASequenceGap() throws Exception {
    try (RunningService service = new RunningService(dataDir)) {
      traffic(service);
      assertThat(verify()).as("refused while the service holds the data directory").isEqualTo(1);
      assertThat(err.toString()).contains("in use by another leadcredits process");
    }

    assertThat(verify()).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains(", 0 sequence breaks", "violations: 0", "OK")
        .contains("replayed: 3 accounts, 1 leads");

    // A tampered amount in the middle of an account's journal: no gap, but the chain breaks.
    tamper(
        "UPDATE event_journal SET event_payload = convert_to(replace(convert_from(event_payload,"
            + " 'UTF8'), '\"amount\":7,', '\"amount\":8,'), 'UTF8')"
            + " WHERE persistence_id = ? AND sequence_number = 2",
        "Account|vb");
    assertThat(verify()).as(out.toString()).isEqualTo(1);
    assertThat(out.toString())
        .contains(", 0 sequence breaks", "violation: account vb", "FAILED")
        .doesNotContain("violation: account va");

    // One event deleted from the middle of another account's journal: a gap and a broken chain.
    tamper(
        "DELETE FROM event_journal WHERE persistence_id = ? AND sequence_number = 3", "Account|va");
    assertThat(verify()).as(out.toString()).isEqualTo(1);
    assertThat(out.toString())
        .contains(", 1 sequence breaks")
        .contains("violation: journal Account|va: sequence gap after 2 (next is 4)")
        .contains("violation: account va: account invariant broken (event does not chain)")
        .contains("violation: account vb", "violations: 3", "FAILED");

    // A second writer in the middle of a third account's journal: every number in place, but
    // the first writer wrote again after it, as two live copies of one entity would.
    tamper(
        "UPDATE event_journal SET writer = 'another-node' WHERE persistence_id = ?"
            + " AND sequence_number = 2",
        "Account|vc");
    assertThat(verify()).as(out.toString()).isEqualTo(1);
    assertThat(out.toString())
        .contains(", 2 sequence breaks")
        .containsPattern("violation: journal Account\\|vc: writer \\S+ wrote again after another")
        .contains("violations: 4", "FAILED");
  }

  /** Credits, debits, a reservation captured and one left open, and a paid claim. */
  private static void traffic(RunningService service) {
    assertThat(service.credit("va", 100, "va-1").status()).isEqualTo(200);
    for (int i = 0; i < 4; i++) {
      assertThat(service.credit("va", 10 + i, "va-small-" + i).status()).isEqualTo(200);
    }
    assertThat(service.credit("vb", 50, "vb-1").status()).isEqualTo(200);
    assertThat(
            service
                .send(
                    "POST",
                    "/api/accounts/vb/debits",
                    service.admin(),
                    "{\"amount\":7,\"transactionId\":\"vb-2\"}")
                .status())
        .isEqualTo(200);
    assertThat(service.credit("vb", 5, "vb-3").status()).isEqualTo(200);
    assertThat(service.credit("vc", 60, "vc-1").status()).isEqualTo(200);
    for (String hold : new String[] {"vc-h1", "vc-h2"}) {
      assertThat(
              service
                  .send(
                      "POST",
                      "/api/accounts/vc/reservations",
                      service.admin(),
                      "{\"amount\":10,\"transactionId\":\"" + hold + "\",\"ttlSeconds\":3600}")
                  .status())
          .isEqualTo(201);
    }
    assertThat(
            service
                .send("POST", "/api/accounts/vc/reservations/vc-h1/capture", service.admin(), null)
                .status())
        .isEqualTo(200);
    assertThat(service.createLead("vl", 20, 2).status()).isEqualTo(201);
    assertThat(
            service
                .send("POST", "/api/leads/vl/claim", service.token("vc", Role.TRADIE), null)
                .status())
        .isEqualTo(200);
    assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
  }

  private int verify() {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.execute(
        config -> {},
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        "verify",
        "--data-dir",
        dataDir.toString());
  }

  /** Changes the journal behind the service's back, as a bad restore or a bad hand would. */
  private void tamper(String sql, String persistenceId) throws SQLException {
    Settings settings =
        Settings.fromConfig(
            Configs.load(
                Map.of("leadcredits.data-dir", dataDir.toString(), "leadcredits.db.url", "")));
    try (Database db = Database.start(settings);
        Connection c = db.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, persistenceId);
      assertThat(s.executeUpdate()).as("rows changed by " + sql).isEqualTo(1);
    }
  }
}
