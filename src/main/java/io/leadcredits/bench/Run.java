package io.leadcredits.bench;

import io.leadcredits.EngineKind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One scenario on one engine: a fresh database, a fresh service, seeding, warm-up, the measured
 * window, the checks, then the service stopped (SIGTERM) and the database dropped.
 */
final class Run {
  private final Scenario scenario;
  private final EngineKind engine;
  private final BenchOptions options;
  private final BenchDatabase database;
  private final Tokens tokens;
  private final Path outDir;
  private final PrintWriter out;

  Run(
      Scenario scenario,
      EngineKind engine,
      BenchOptions options,
      BenchDatabase database,
      Tokens tokens,
      Path outDir,
      PrintWriter out) {
    this.scenario = scenario;
    this.engine = engine;
    this.options = options;
    this.database = database;
    this.tokens = tokens;
    this.outDir = outDir;
    this.out = out;
  }

  RunResult execute() throws Exception {
    String db =
        ("bench_" + scenario.name() + "_" + engine.label())
            .replace('-', '_')
            .toLowerCase(Locale.ROOT);
    String url = database.create(db);
    try (ServiceProcess service =
            ServiceProcess.start(
                engine,
                url,
                database.user(),
                database.password(),
                tokens.secret(),
                BenchRunner.logFile(outDir, scenario.name(), engine.label()));
        BenchHttp http = new BenchHttp(service.port())) {
      BenchContext context =
          new BenchContext(http, tokens, new Ledger(), options.clients(), options.quick());
      long seeding = System.nanoTime();
      scenario.prepare(context);
      out.printf(
          Locale.ROOT,
          "  %s: seeded in %.1f s, now warming up%n",
          engine.label(),
          (System.nanoTime() - seeding) / 1e9);
      out.flush();
      return measure(context, service, db, service.port());
    } finally {
      database.drop(db);
    }
  }

  private RunResult measure(BenchContext context, ServiceProcess service, String db, int port)
      throws Exception {
    RunStats stats = new RunStats();
    try (WireClient wire = new WireClient(port, options.clients())) {
      return measure(context, service, db, stats, wire);
    }
  }

  private RunResult measure(
      BenchContext context, ServiceProcess service, String db, RunStats stats, WireClient wire)
      throws Exception {
    LoadDriver driver = new LoadDriver(wire, scenario.workload(context), stats, options.clients());
    driver.start(options.clients());
    Thread.sleep(options.warmup().toMillis());
    JournalCounters journal0 = journal(db);
    CpuMeter.Sample cpu0 = CpuMeter.sample(service.handle());
    stats.measuring(true);
    Thread.sleep(options.duration().toMillis());
    stats.measuring(false);
    CpuMeter.Sample cpu1 = CpuMeter.sample(service.handle());
    JournalCounters journal1 = journal(db);
    if (!driver.stop()) {
      out.println("  (some requests were still unanswered when the run stopped)");
    }
    ClientChecks.Verdict verdict = new ClientChecks(context).run();
    double seconds = (cpu1.wallNanos() - cpu0.wallNanos()) / 1e9;
    return new RunResult(
        scenario.name(),
        engine.label(),
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
                journal0.eventsPerCommit(journal1)));
  }

  /** The journal counters, for the actor engine only (the baselines have no journal). */
  private JournalCounters journal(String db) throws java.sql.SQLException {
    return engine == EngineKind.ACTORS ? database.counters(db) : null;
  }
}
