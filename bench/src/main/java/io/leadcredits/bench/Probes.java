package io.leadcredits.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.testkit.ServiceProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The engine probes, each in a child JVM: heap bytes per resident idle account and entity recovery
 * time. The third, the journal's write rate and batch size, is measured during every actors run
 * (RunResult.journal).
 */
final class Probes {
  static final int heapAccountsFull = 1_000_000;
  static final int heapAccountsQuick = 50_000;
  static final int recoveryEvents = 10_000;
  private static final long probeTimeoutMinutes = 10;

  /** What the probes found; a probe that failed says why in {@code error}. */
  record Results(Map<String, Object> heap, Map<String, Object> recovery, String journal) {
    static Results none() {
      return new Results(Map.of(), Map.of(), "");
    }
  }

  private final BenchOptions options;
  private final BenchDatabase database;
  private final PrintWriter out;

  Probes(BenchOptions options, BenchDatabase database, PrintWriter out) {
    this.options = options;
    this.database = database;
    this.out = out;
  }

  Results run() {
    int accounts = options.quick() ? heapAccountsQuick : heapAccountsFull;
    // About 1 KB per account plus its event in the in-memory journal, with room to spare.
    // A million accounts at several kilobytes each, plus the floor entities measured after them.
    String heap = options.quick() ? "-Xmx1g" : "-Xmx12g";
    // The extra service flags too, so a collector or object-header experiment shows in the figure.
    List<String> heapFlags = new ArrayList<>(List.of(heap));
    heapFlags.addAll(options.serviceJavaOpts());
    Map<String, Object> heapResult =
        probe("heap", heapFlags, List.of("heap", Integer.toString(accounts)));
    out.println("probe heap: " + heapResult);
    Map<String, Object> recovery = recovery();
    out.println("probe recovery: " + recovery);
    out.flush();
    return new Results(
        heapResult,
        recovery,
        "measured per actors run from pg_stat_database.xact_commit and event_journal rows");
  }

  private Map<String, Object> recovery() {
    String db = "bench_probe_recovery";
    try {
      String url = database.create(db);
      return probe(
          "recovery",
          List.of("-Xmx1g"),
          List.of(
              "recovery",
              url,
              database.user(),
              database.password(),
              Integer.toString(recoveryEvents)));
    } catch (Exception e) {
      return Map.of("error", BenchRunner.reason(e));
    } finally {
      database.drop(db);
    }
  }

  private Map<String, Object> probe(String name, List<String> jvmFlags, List<String> args) {
    try {
      Path log = BenchRunner.logFile(options.out(), "probe", name);
      List<String> command = ServiceProcess.javaCommand(jvmFlags, ProbeMain.class.getName(), args);
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(probeTimeoutMinutes, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return Map.of("error", "timed out after " + probeTimeoutMinutes + " minutes");
      }
      for (String line : Files.readAllLines(log)) {
        if (line.startsWith(ProbeMain.prefix)) {
          return new ObjectMapper()
              .readValue(
                  line.substring(ProbeMain.prefix.length()),
                  new TypeReference<Map<String, Object>>() {});
        }
      }
      return Map.of("error", "no result (exit " + p.exitValue() + "), see " + log);
    } catch (IOException | InterruptedException e) {
      return Map.of("error", BenchRunner.reason(e));
    }
  }

  static void markdown(StringBuilder md, Results probes) {
    if (probes.heap().isEmpty() && probes.recovery().isEmpty()) {
      return;
    }
    md.append("## Engine probes (actors)\n\n");
    Map<String, Object> h = probes.heap();
    if (h.containsKey("bytesPerAccount")) {
      md.append(
          String.format(
              Locale.ROOT,
              "- heap per resident idle account: **%s bytes** (%s accounts activated by one credit"
                  + " each, passivation off, full GC before and after; journal %s)%n",
              h.get("bytesPerAccount"),
              h.get("accounts"),
              h.get("journal")));
      md.append(
          String.format(
              Locale.ROOT,
              "- the floor under the same sharding and journal (%s entities of each): a bare"
                  + " event-sourced entity with one event **%s bytes**, a bare plain actor **%s"
                  + " bytes**; an account is one event-sourced entity (its write gate runs in the"
                  + " same actor) plus its state and remembered transaction%n",
              h.get("floorEntities"),
              h.get("bytesPerBarePersistentEntity"),
              h.get("bytesPerBarePlainEntity")));
    } else {
      md.append("- heap probe failed: ").append(h.get("error")).append('\n');
    }
    Map<String, Object> r = probes.recovery();
    if (r.containsKey("withSnapshotsMs")) {
      md.append(
          String.format(
              Locale.ROOT,
              "- recovery of an account with %s events on the PostgreSQL journal: **%s ms** with"
                  + " snapshots (snapshot-every-events %s), **%s ms** without (%s)%n",
              r.get("events"),
              r.get("withSnapshotsMs"),
              r.get("snapshotEveryEvents"),
              r.get("withoutSnapshotsMs"),
              r.get("measuredAs")));
    } else {
      md.append("- recovery probe failed: ").append(r.get("error")).append('\n');
    }
    md.append("- journal write rate and events per commit: ")
        .append(probes.journal())
        .append(" (see each actors run above)\n\n");
  }
}
