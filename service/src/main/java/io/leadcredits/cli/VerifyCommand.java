package io.leadcredits.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.leadcredits.Settings;
import io.leadcredits.audit.JournalAudit;
import io.leadcredits.persistence.Database;
import io.leadcredits.persistence.JournalSequences;
import io.leadcredits.service.Configs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leadcredits verify}: the offline check of a whole database. Replays every account and lead
 * journal from its first event and checks DESIGN.md's invariants (the same {@link JournalAudit} as
 * {@code GET /api/audit}), and checks the journal table for sequence gaps and duplicates. Exit 0
 * when everything holds, 1 on any violation (or when the database cannot be read).
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Checks every invariant over the whole journal, offline: replays each account's and lead's"
          + " events from the first, checks balances, holds, claims and payments, and checks that"
          + " every journal's sequence numbers run 1, 2, 3, ... without a gap or a duplicate.",
      "Opens the embedded PostgreSQL in the data directory (stop the service first: a running"
          + " service holds it) or the database of LEADCREDITS_DB_URL. Prints a summary and every"
          + " violation; exits 0 when there is none, 1 otherwise.",
      ""
    },
    footerHeading = "%n",
    footer = Main.SETTINGS_HELP)
final class VerifyCommand implements Callable<Integer> {
  /**
   * A bound on the replay, far above what a healthy journal needs (millions of events read in
   * minutes), so a hung database ends the command instead of hanging it.
   */
  private static final Duration auditTimeoutMax = Duration.ofHours(1);

  /** Deserialization and the read journal need an actor system; nothing else does. */
  private static final Config LOCAL_ONLY =
      ConfigFactory.parseMap(
          Map.of(
              "pekko.actor.provider", "local",
              "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off",
              // A node's clustered settings (LEADCREDITS_SEED_NODES) exit the JVM when its
              // system stops; verify must live on to print what it found.
              "pekko.coordinated-shutdown.exit-jvm", "off"),
          "verify: a local actor system");

  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "D",
      description =
          "data directory of the embedded PostgreSQL (overrides LEADCREDITS_DATA_DIR; default"
              + " ./data); ignored when LEADCREDITS_DB_URL is set")
  private Path dataDir;

  /** Everything found, in the order it is printed. */
  record Findings(
      String where,
      long accounts,
      long leads,
      long eventsChecked,
      JournalSequences.Report sequences,
      long violationCount,
      List<String> violations) {
    boolean ok() {
      return violationCount == 0;
    }
  }

  @Override
  public Integer call() throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    if (dataDir != null) {
      overrides.put("leadcredits.data-dir", dataDir.toString());
    }
    Config config = Configs.load(overrides);
    Settings settings = Settings.fromConfig(config);
    Findings findings = verify(config, settings);
    print(findings, spec.commandLine().getOut());
    return findings.ok() ? 0 : 1;
  }

  static Findings verify(Config config, Settings settings) throws Exception {
    String where = describe(settings);
    Database database;
    try {
      database = Database.start(settings);
    } catch (RuntimeException e) {
      String hint =
          settings.externalDbUrl().isEmpty()
              ? " (verify needs the data directory to itself: stop any service running on it)"
              : "";
      throw new IllegalStateException("cannot open " + where + hint + ": " + Main.oneLine(e), e);
    }
    try (database) {
      JournalSequences.Report sequences = JournalSequences.check(database.dataSource());
      JournalAudit.Result audit = replay(database, config);
      List<String> violations = new ArrayList<>(sequences.violations());
      if (sequences.breaks() > sequences.violations().size()) {
        violations.add(
            "… and "
                + (sequences.breaks() - sequences.violations().size())
                + " more sequence breaks");
      }
      violations.addAll(audit.report().violations());
      return new Findings(
          where,
          audit.report().accountsChecked(),
          audit.report().leadsChecked(),
          audit.eventsChecked(),
          sequences,
          sequences.breaks() + audit.report().violations().size(),
          violations);
    }
  }

  private static JournalAudit.Result replay(Database database, Config config) throws Exception {
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "leadcredits-verify",
            database.pekkoOverrides().withFallback(LOCAL_ONLY).withFallback(config));
    try {
      return new JournalAudit(system)
          .run()
          .toCompletableFuture()
          .get(auditTimeoutMax.toSeconds(), TimeUnit.SECONDS);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  private static void print(Findings f, PrintWriter out) {
    out.println("verified " + f.where());
    out.printf(
        "journal: %d streams, %d events, %d sequence breaks%n",
        f.sequences().persistenceIds(), f.sequences().events(), f.sequences().breaks());
    out.printf(
        "replayed: %d accounts, %d leads, %d events%n", f.accounts(), f.leads(), f.eventsChecked());
    for (String v : f.violations()) {
      out.println("violation: " + v);
    }
    out.println("violations: " + f.violationCount());
    out.println(f.ok() ? "OK: every invariant holds" : "FAILED: the journal breaks an invariant");
    out.flush();
  }

  /** Where the data is, for humans; a URL's query string may hold a password, so it is left out. */
  private static String describe(Settings settings) {
    return settings
        .externalDbUrl()
        .map(url -> "PostgreSQL at " + url.replaceAll("\\?.*$", ""))
        .orElseGet(
            () ->
                "embedded PostgreSQL in "
                    + settings.dataDir().toAbsolutePath().normalize().resolve("postgres"));
  }
}
