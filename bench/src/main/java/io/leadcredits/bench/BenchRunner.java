package io.leadcredits.bench;

import io.leadcredits.EngineKind;
import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.JwtSecret;
import io.leadcredits.auth.Role;
import io.leadcredits.testkit.Tokens;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * Runs the benchmark: one PostgreSQL server, then for each scenario and engine a fresh database, a
 * fresh service process, seeding, warm-up, the measured window and the checks; then the probes;
 * then the reports.
 */
public final class BenchRunner {
  /** Longer than any run, including the checks afterwards. */
  private static final Duration tokenTtl = Duration.ofHours(12);

  private final BenchOptions options;
  private final PrintWriter out;

  /** Open-loop load (--rate, --curve), or null: closed-loop runs only. */
  private final OpenLoopOptions openLoop;

  public BenchRunner(BenchOptions options, PrintWriter out) {
    this(options, null, out);
  }

  BenchRunner(BenchOptions options, OpenLoopOptions openLoop, PrintWriter out) {
    this.options = options;
    this.openLoop = openLoop;
    this.out = out;
  }

  /** Runs everything and returns the directory holding the reports. */
  public Path run() throws Exception {
    Files.createDirectories(options.out().resolve("logs"));
    Instant startedAt = Instant.now();
    Tokens tokens = tokens();
    List<RunResult> results = new ArrayList<>();
    List<Report.Skipped> skipped = new ArrayList<>();
    List<OpenLoopResult> open = new ArrayList<>();
    Probes.Results probes;
    String postgres;
    Map<String, String> postgresSettings;
    String gitCommit = GitCommit.current();
    try (BenchDatabase database = BenchDatabase.start()) {
      postgres = database.version();
      postgresSettings = database.settings(Machine.SETTINGS);
      say(
          "PostgreSQL: %s; %d clients; %ss per run after %ss warm-up%s%s",
          postgres,
          options.clients(),
          options.duration().toMillis() / 1000.0,
          options.warmup().toMillis() / 1000.0,
          options.soak() == null
              ? ""
              : ", a soak sampled every " + options.soak().interval().toMillis() / 1000.0 + "s",
          options.quick() ? " (--quick)" : "");
      if (!options.serviceJavaOpts().isEmpty()) {
        say(
            "service JVM flags added by %s: %s",
            BenchOptions.serviceJavaOptsEnv, String.join(" ", options.serviceJavaOpts()));
      }
      if (options.repeat() > 1) {
        say("each scenario × engine %d times, interleaved (ABC, CBA, …)", options.repeat());
      }
      try (BenchSinks sinks = options.sinks() ? startSinks() : null) {
        for (String name : options.scenarios()) {
          Scenario scenario = Scenarios.named(name).orElseThrow();
          say("scenario %s, seed %d: %s", name, scenario.seed(), scenario.sizes(options.quick()));
          if (openLoop != null && openLoop.rate() != null) {
            long rate = openLoop.rate();
            for (EngineKind engine : options.engines()) {
              runOpen(
                  scenario,
                  engine,
                  List.of(new OpenRun.Point(rate, null, null)),
                  rate,
                  database,
                  tokens,
                  open,
                  skipped);
            }
            continue;
          }
          List<Slot> slots = slots(sinks);
          for (int repeat = 1; repeat <= options.repeat(); repeat++) {
            for (Slot slot : interleaved(slots, repeat)) {
              runOne(scenario, slot, repeat, database, tokens, results, skipped);
            }
          }
          if (openLoop != null && openLoop.curve()) {
            for (EngineKind engine : options.engines()) {
              runCurve(scenario, engine, database, tokens, results, open, skipped);
            }
          }
        }
      }
      // A pool sweep measures the baselines only: the actor engine's probes are not its question.
      boolean probing = options.probes() && !options.pools().sweep();
      probes = probing ? new Probes(options, database, out).run() : Probes.Results.none();
    }
    Report report =
        new Report(
            options,
            startedAt,
            gitCommit,
            Machine.current(postgres, postgresSettings),
            results,
            skipped,
            probes,
            open);
    Path dir = report.write(options.out());
    report.targets.forEach(v -> say("target %s", Targets.oneLine(v)));
    say("report: %s", dir.resolve("report.md"));
    say("reproduce: %s", options.command());
    return dir;
  }

  /**
   * One run of a scenario: an engine on a cluster size, with the sinks or not, and with a
   * baseline's pool size (0 for the actor engine).
   */
  private record Slot(EngineKind engine, int nodes, BenchSinks sinks, int pool) {}

  /**
   * The runs of each scenario, in first-round order: each engine on each cluster size, the actor
   * engine's one-node run followed by its run with sinks; in a pool sweep, each baseline on each
   * size instead.
   */
  private List<Slot> slots(BenchSinks sinks) {
    List<Slot> slots = new ArrayList<>();
    for (EngineKind engine : options.engines()) {
      if (options.pools().sweep()) {
        if (engine != EngineKind.ACTORS) {
          BenchOptions.Pools.sweepSizes.forEach(size -> slots.add(new Slot(engine, 1, null, size)));
        }
        continue;
      }
      for (int nodes : clusterSizes(engine)) {
        slots.add(new Slot(engine, nodes, null, options.pools().of(engine)));
        if (sinks != null && engine == EngineKind.ACTORS && nodes == 1) {
          slots.add(new Slot(engine, nodes, sinks, 0));
        }
      }
    }
    return slots;
  }

  /**
   * The order of the {@code repeat}-th round: as listed in odd rounds, reversed in even ones (ABC,
   * CBA, ABC…), so no engine always runs first on a cold machine or last on a tired one.
   */
  static <T> List<T> interleaved(List<T> slots, int repeat) {
    if (repeat % 2 == 1) {
      return slots;
    }
    List<T> reversed = new ArrayList<>(slots);
    Collections.reverse(reversed);
    return reversed;
  }

  /** Runs one scenario on one slot into the lists. */
  private void runOne(
      Scenario scenario,
      Slot slot,
      int repeat,
      BenchDatabase database,
      Tokens tokens,
      List<RunResult> results,
      List<Report.Skipped> skipped) {
    Run run =
        new Run(
            scenario,
            slot.engine(),
            options,
            database,
            tokens,
            options.out(),
            out,
            slot.nodes(),
            slot.sinks(),
            repeat,
            slot.pool());
    String label = run.label();
    String shown = options.repeat() > 1 ? label + " #" + repeat : label;
    try {
      RunResult r = run.execute();
      results.add(r);
      say("  %-6s %s", shown, Report.oneLine(r));
      if (r.sinks() != null) {
        say("  %-6s %s", shown, Report.sinksLine(r.sinks()));
      }
    } catch (Exception e) {
      String reason = reason(e);
      skipped.add(new Report.Skipped(scenario.name(), shown, reason));
      say("  %-6s not run: %s", shown, reason);
    }
  }

  /**
   * An engine's curve: open-loop points at {@link OpenLoopOptions#curvePercents} of the peak its
   * closed-loop run of this scenario just measured, on a fresh service warmed up at {@link
   * OpenLoopOptions#warmupPercent} of it.
   */
  private void runCurve(
      Scenario scenario,
      EngineKind engine,
      BenchDatabase database,
      Tokens tokens,
      List<RunResult> results,
      List<OpenLoopResult> open,
      List<Report.Skipped> skipped) {
    String label = engine.label() + " curve";
    RunResult closed =
        results.stream()
            .filter(r -> r.scenario().equals(scenario.name()) && r.engine().equals(engine.label()))
            .reduce((first, second) -> second)
            .orElse(null);
    if (closed == null || closed.throughputPerSecond() <= 0) {
      skipped.add(new Report.Skipped(scenario.name(), label, "no closed-loop peak to sweep"));
      say("  %-6s not run: no closed-loop peak to sweep", label);
      return;
    }
    double peak = closed.throughputPerSecond();
    List<OpenRun.Point> points = new ArrayList<>();
    for (int percent : OpenLoopOptions.curvePercents) {
      points.add(new OpenRun.Point(OpenLoopOptions.rateAt(peak, percent), percent, peak));
    }
    say("  %-6s open-loop curve from a peak of %,.0f req/s", engine.label(), peak);
    long warmup = OpenLoopOptions.rateAt(peak, OpenLoopOptions.warmupPercent);
    runOpen(scenario, engine, points, warmup, database, tokens, open, skipped);
  }

  /** Open-loop points of one scenario on one engine into {@code open}, or why they did not run. */
  private void runOpen(
      Scenario scenario,
      EngineKind engine,
      List<OpenRun.Point> points,
      long warmupRate,
      BenchDatabase database,
      Tokens tokens,
      List<OpenLoopResult> open,
      List<Report.Skipped> skipped) {
    String label = engine.label() + " open";
    if (!scenario.openLoop()) {
      String why =
          "its clients wait for one another's answers (a rush), so it has no open-loop form";
      skipped.add(new Report.Skipped(scenario.name(), label, why));
      say("  %-6s not run: %s", label, why);
      return;
    }
    try {
      open.addAll(
          new OpenRun(scenario, engine, options, database, tokens, options.out(), out)
              .execute(points, warmupRate));
    } catch (Exception e) {
      String reason = reason(e);
      skipped.add(new Report.Skipped(scenario.name(), label, reason));
      say("  %-6s not run: %s", label, reason);
    }
  }

  /**
   * The Kafka broker of {@code --sinks}, for every run with sinks; its files under the report's.
   */
  private BenchSinks startSinks() throws IOException {
    say("starting a Kafka broker for the runs with sinks (--sinks)");
    return BenchSinks.start(options.out().resolve("kafka"));
  }

  /** One node for every engine; the actor engine also on the requested cluster size. */
  private List<Integer> clusterSizes(EngineKind engine) {
    return engine == EngineKind.ACTORS && options.nodes() > 1
        ? List.of(1, options.nodes())
        : List.of(1);
  }

  private void say(String format, Object... args) {
    out.println(String.format(Locale.ROOT, format, args));
    out.flush();
  }

  /**
   * Bearer tokens for the services under test: a random secret, handed to each child as
   * LEADCREDITS_JWT_SECRET, and tokens signed with it by the service's own signer.
   */
  static Tokens tokens() {
    String secret = Tokens.randomSecret();
    Jwt jwt = new Jwt(JwtSecret.of(secret), Clock.systemUTC());
    return new Tokens(
        secret,
        "bench-admin",
        (subject, role) -> jwt.issue(subject, Role.fromClaim(role).orElseThrow(), tokenTtl));
  }

  /** Why something failed, in one line for the report. */
  static String reason(Throwable e) {
    Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  static Path logFile(Path outDir, String scenario, String engine) throws IOException {
    return outDir.resolve("logs").resolve(scenario + "-" + engine + ".log");
  }
}
