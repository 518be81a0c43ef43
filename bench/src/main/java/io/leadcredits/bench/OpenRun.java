package io.leadcredits.bench;

import io.leadcredits.EngineKind;
import io.leadcredits.testkit.ServiceProcess;
import io.leadcredits.testkit.Tokens;
import io.leadcredits.testkit.WireClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Open-loop points of one scenario on one engine (one node), on one fresh database and service:
 * seeding, a warm-up at the warm-up rate, then each point in turn (a short unmeasured run-in, then
 * the measured window at its rate, then its requests drained), then the checks once, which cover
 * every point's requests. Points run from the lowest rate up, so an overloaded point's backlog
 * never reaches a point below it.
 */
final class OpenRun {
  /** One rate to offer; {@code percent} and {@code peak} place it on a curve (null otherwise). */
  record Point(long rate, Integer percent, Double peak) {}

  private final Scenario scenario;
  private final EngineKind engine;
  private final BenchOptions options;
  private final BenchDatabase database;
  private final Tokens tokens;
  private final Path outDir;
  private final PrintWriter out;

  OpenRun(
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

  /** Runs the points after a warm-up at {@code warmupRate}; one result per point, in order. */
  List<OpenLoopResult> execute(List<Point> points, long warmupRate) throws Exception {
    if (!scenario.openLoop()) {
      throw new IllegalArgumentException(scenario.name() + " has no open-loop form");
    }
    String label = engine.label();
    try (PreparedService service =
        new PreparedService(
            database,
            tokens,
            options,
            engine,
            options.pools().of(engine),
            "bench_" + scenario.name() + "_" + label + "_open")) {
      ServiceProcess node =
          service.start(
              BenchRunner.logFile(outDir, scenario.name(), label + "-open"), List.of(), Map.of());
      BenchContext context = service.context();
      scenario.prepare(context);
      say("  %s open loop: seeded, warming up at %,d req/s", label, warmupRate);
      try (WireClient wire = new WireClient(List.of(node.port()), options.clients())) {
        return measure(context, wire, List.of(node.handle()), label, points, warmupRate);
      }
    }
  }

  private List<OpenLoopResult> measure(
      BenchContext context,
      WireClient wire,
      List<ProcessHandle> handles,
      String label,
      List<Point> points,
      long warmupRate)
      throws Exception {
    Workload workload = scenario.workload(context);
    OpenLoopDriver driver = new OpenLoopDriver(wire, workload, options.clients());
    // The warm-up's own window is thrown away: it only runs the schedule for the JIT.
    driver.run(warmupRate, Duration.ZERO, options.warmup());
    Duration settle =
        options.warmup().compareTo(OpenLoopOptions.settleMax) < 0
            ? options.warmup()
            : OpenLoopOptions.settleMax;
    List<OpenLoopStats> measured = new ArrayList<>();
    List<RunResult.Cpu> cpus = new ArrayList<>();
    for (Point p : points) {
      // The window opens inside the driver's schedule, which starts as run() is called: the CPU
      // is sampled on timers set to its opening and closing, not around the call.
      CompletableFuture<CpuMeter.Sample> cpu0 = sampleAfter(handles, settle);
      CompletableFuture<CpuMeter.Sample> cpu1 =
          sampleAfter(handles, settle.plus(options.duration()));
      OpenLoopStats stats = driver.run(p.rate(), settle, options.duration());
      measured.add(stats);
      cpus.add(
          new RunResult.Cpu(
              CpuMeter.generatorShare(cpu0.join(), cpu1.join()),
              CpuMeter.serverShare(cpu0.join(), cpu1.join()),
              CpuMeter.machineShare(cpu0.join(), cpu1.join())));
      say("  %-6s %s", label, line(p, stats));
    }
    driver.stop();
    ClientChecks.Verdict verdict = new ClientChecks(context, workload).run();
    List<OpenLoopResult> results = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      results.add(result(label, points.get(i), measured.get(i), cpus.get(i), verdict));
    }
    return results;
  }

  private static CompletableFuture<CpuMeter.Sample> sampleAfter(
      List<ProcessHandle> handles, Duration delay) {
    return CompletableFuture.supplyAsync(
        () -> CpuMeter.sample(handles),
        CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS));
  }

  private OpenLoopResult result(
      String label, Point p, OpenLoopStats s, RunResult.Cpu cpu, ClientChecks.Verdict verdict) {
    double seconds = options.duration().toNanos() / 1e9;
    RunResult run =
        new RunResult(
            scenario.name(),
            label,
            scenario.seed(),
            options.clients(),
            seconds,
            s.answered(),
            s.count(Outcome.ACCEPTED),
            s.count(Outcome.REJECTED),
            s.count(Outcome.ERROR),
            s.count(Outcome.TIMEOUT),
            s.percentiles(),
            verdict.holds(),
            cpu,
            verdict,
            s.errorSamples(),
            null,
            null,
            1);
    return new OpenLoopResult(
        run,
        p.rate(),
        s.answeredInWindow() / seconds,
        p.percent(),
        p.peak(),
        options.clients(),
        s.sent(),
        s.late(),
        s.unsent(),
        s.maxSendDelayMs());
  }

  private static String line(Point p, OpenLoopStats s) {
    RunResult.Percentiles l = s.percentiles();
    return String.format(
        Locale.ROOT,
        "%s%,d req/s offered: p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.1f ms  late %d"
            + "  unsent %d  errors %d  timeouts %d",
        p.percent() == null ? "" : p.percent() + "% of peak, ",
        p.rate(),
        l.p50(),
        l.p99(),
        l.p999(),
        l.max(),
        s.late(),
        s.unsent(),
        s.count(Outcome.ERROR),
        s.count(Outcome.TIMEOUT));
  }

  private void say(String format, Object... args) {
    out.println(String.format(Locale.ROOT, format, args));
    out.flush();
  }
}
