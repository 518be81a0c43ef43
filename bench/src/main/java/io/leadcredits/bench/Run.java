package io.leadcredits.bench;

import io.leadcredits.EngineKind;
import io.leadcredits.account.Account;
import io.leadcredits.testkit.ServiceProcess;
import io.leadcredits.testkit.Tokens;
import io.leadcredits.testkit.WireClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One scenario on one engine: a fresh database, a fresh service, seeding, warm-up, the measured
 * window, the checks, then the service stopped (SIGTERM) and the database dropped. The service is a
 * child JVM started from this jar's classpath with {@code serve --engine E}: its own heap, its own
 * JIT and GC, and CPU time the benchmark can read apart from its own. With {@link BenchSinks} the
 * service publishes every event to a Kafka topic of the run's own and POSTs it to the sinks'
 * webhook receivers; afterwards the run waits for every event to arrive everywhere and reports the
 * lags.
 */
final class Run {
  private final Scenario scenario;
  private final EngineKind engine;
  private final BenchOptions options;
  private final BenchDatabase database;
  private final Tokens tokens;
  private final Path outDir;
  private final PrintWriter out;
  private final int nodes;
  private final BenchSinks sinks;
  private final int repeat;
  private final int pool;
  private final String label;

  Run(
      Scenario scenario,
      EngineKind engine,
      BenchOptions options,
      BenchDatabase database,
      Tokens tokens,
      Path outDir,
      PrintWriter out,
      int nodes,
      BenchSinks sinks,
      int repeat,
      int pool) {
    this.scenario = scenario;
    this.engine = engine;
    this.options = options;
    this.database = database;
    this.tokens = tokens;
    this.outDir = outDir;
    this.out = out;
    this.nodes = nodes;
    this.sinks = sinks;
    this.repeat = repeat;
    this.pool = pool;
    String own = label(engine, nodes, sinks != null);
    this.label = options.pools().sweep() && pool > 0 ? own + POOL_INFIX + pool : own;
  }

  /** What a run of a pool sweep adds to its baseline's label before the size: locks-pool4. */
  static final String POOL_INFIX = "-pool";

  /**
   * The engine as the report names it: {@code actors}, {@code actors-3n} for 3 nodes, {@code
   * actors+sinks} with both sinks on.
   */
  static String label(EngineKind engine, int nodes, boolean sinks) {
    String label = nodes == 1 ? engine.label() : engine.label() + "-" + nodes + "n";
    return sinks ? label + SINKS_SUFFIX : label;
  }

  /** What a run with both sinks on adds to its engine's label. */
  static final String SINKS_SUFFIX = "+sinks";

  /** The engine as the report names it, with the pool size in a sweep. */
  String label() {
    return label;
  }

  RunResult execute() throws Exception {
    try (PreparedService service =
        new PreparedService(
            database, tokens, options, engine, pool, "bench_" + scenario.name() + "_" + label)) {
      BenchSinks.Attached attached = sinks == null ? null : sinks.attach(service.db());
      try {
        return execute(service, attached);
      } finally {
        if (attached != null) {
          attached.close();
        }
      }
    }
  }

  private RunResult execute(PreparedService service, BenchSinks.Attached attached)
      throws Exception {
    Map<String, String> sinkEnv = attached == null ? Map.of() : attached.env();
    // One log per run: a repeat's log would otherwise replace the one before.
    String logLabel = options.repeat() > 1 ? label + "-" + repeat : label;
    if (nodes == 1) {
      service.start(BenchRunner.logFile(outDir, scenario.name(), logLabel), List.of(), sinkEnv);
    } else {
      startCluster(service, logLabel);
    }
    BenchContext context = service.context();
    if (attached != null) {
      attached.register(context.api());
    }
    long seeding = System.nanoTime();
    scenario.prepare(context);
    out.printf(
        Locale.ROOT,
        "  %s: seeded in %.1f s, now warming up%n",
        label,
        (System.nanoTime() - seeding) / 1e9);
    out.flush();
    return measure(context, service.nodes(), service.db(), label, attached);
  }

  /**
   * Nodes of the actor engine forming one cluster on the database, one log each, each started once
   * the one before is ready (the first forms the cluster).
   */
  private void startCluster(PreparedService service, String label) throws IOException {
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      clusterPorts.add(ServiceProcess.freePort());
    }
    String seeds = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    for (int i = 0; i < nodes; i++) {
      Path log = BenchRunner.logFile(outDir, scenario.name(), label + "-node" + (i + 1));
      List<String> flags =
          List.of(
              "--cluster-host",
              "127.0.0.1",
              "--cluster-port",
              Integer.toString(clusterPorts.get(i)),
              "--seed-nodes",
              seeds);
      service.start(log, flags, Map.of());
    }
  }

  private RunResult measure(
      BenchContext context,
      List<ServiceProcess> services,
      String db,
      String label,
      BenchSinks.Attached sinks)
      throws Exception {
    RunStats stats = new RunStats();
    List<Integer> ports = services.stream().map(ServiceProcess::port).toList();
    List<ProcessHandle> handles = services.stream().map(ServiceProcess::handle).toList();
    try (WireClient wire = new WireClient(ports, options.clients())) {
      return measure(context, handles, db, stats, wire, label, sinks);
    }
  }

  private RunResult measure(
      BenchContext context,
      List<ProcessHandle> handles,
      String db,
      RunStats stats,
      WireClient wire,
      String label,
      BenchSinks.Attached sinks)
      throws Exception {
    Workload workload = scenario.workload(context);
    LoadDriver driver = new LoadDriver(wire, workload, stats, options.clients());
    driver.start(options.clients());
    Thread.sleep(options.warmup().toMillis());
    database.analyze(db);
    JournalCounters journal0 = journal(db);
    CpuMeter.Sample cpu0 = CpuMeter.sample(handles);
    if (sinks != null) {
      sinks.startSampling(context.api());
    }
    Instant windowStart = Instant.now();
    stats.measuring(true);
    List<SoakSample> soak = window(stats, handles, db, label);
    stats.measuring(false);
    Instant windowEnd = Instant.now();
    if (sinks != null) {
      sinks.stopSampling();
    }
    CpuMeter.Sample cpu1 = CpuMeter.sample(handles);
    JournalCounters journal1 = journal(db);
    if (options.soak() != null) {
      // Written before the checks too, so a long soak's samples outlive a failing check.
      soakReport(windowStart, soak, null, label);
    }
    if (!driver.stop()) {
      out.println("  (some requests were still unanswered when the run stopped)");
    }
    Instant loadEnd = Instant.now();
    ClientChecks.Verdict verdict = new ClientChecks(context, workload).run();
    RunResult.Sinks delivered =
        sinks == null ? null : sinks.verify(context.api(), loadEnd, windowStart, windowEnd);
    if (options.soak() != null) {
      Path md = soakReport(windowStart, soak, verdict.holds(), label);
      out.printf(Locale.ROOT, "  %s soak: %s (%s)%n", label, SoakVerdict.of(soak).summary(), md);
      out.flush();
    }
    double seconds = (cpu1.wallNanos() - cpu0.wallNanos()) / 1e9;
    return new RunResult(
        scenario.name(),
        label,
        scenario.seed(),
        options.clients(),
        seconds,
        stats.requests(),
        stats.count(Outcome.ACCEPTED),
        stats.count(Outcome.REJECTED),
        stats.count(Outcome.ERROR),
        stats.count(Outcome.TIMEOUT),
        RunResult.Percentiles.of(stats.latencies()),
        verdict.holds(),
        new RunResult.Cpu(
            CpuMeter.generatorShare(cpu0, cpu1),
            CpuMeter.serverShare(cpu0, cpu1),
            CpuMeter.machineShare(cpu0, cpu1)),
        verdict,
        stats.errorSamples(),
        journal0 == null
            ? null
            : new RunResult.Journal(
                journal1.events() - journal0.events(),
                journal1.commits() - journal0.commits(),
                journal0.eventsPerSecond(journal1),
                journal0.eventsPerCommit(journal1)),
        delivered,
        repeat);
  }

  /**
   * The measured window: {@code duration} of load, or a soak sampled at the end of every interval
   * (its samples; none without a soak).
   */
  private List<SoakSample> window(
      RunStats stats, List<ProcessHandle> handles, String db, String label)
      throws InterruptedException {
    if (options.soak() == null) {
      Thread.sleep(options.duration().toMillis());
      return List.of();
    }
    // The baselines keep neither snapshots nor a journal: their sizes stay null.
    boolean actors = engine == EngineKind.ACTORS;
    String snapshotOf =
        actors ? scenario.hotAccount().map(a -> Account.persistenceId(a).id()).orElse(null) : null;
    SoakSampler.Watched watched =
        new SoakSampler.Watched(database, db, handles, snapshotOf, actors);
    return new SoakSampler(options.soak(), watched, out, label).run(stats);
  }

  /** Writes soak.json and soak.md ({@code invariantsHold} null: not checked yet). */
  private Path soakReport(
      Instant startedAt, List<SoakSample> samples, Boolean invariantsHold, String label)
      throws IOException, InterruptedException {
    SoakReport report =
        new SoakReport(
            options,
            scenario.name(),
            label,
            startedAt,
            GitCommit.current(),
            samples,
            SoakVerdict.of(samples),
            invariantsHold);
    return report.write(outDir);
  }

  /** The journal counters, for the actor engine only (the baselines have no journal). */
  private JournalCounters journal(String db) throws java.sql.SQLException {
    return engine == EngineKind.ACTORS ? database.counters(db) : null;
  }
}
