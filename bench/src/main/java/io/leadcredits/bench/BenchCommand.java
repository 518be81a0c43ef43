package io.leadcredits.bench;

import io.leadcredits.EngineKind;
import io.leadcredits.cli.Subcommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code leadcredits bench}: the engines against each other, over HTTP, in one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks the engines (actors, locks, sql) over HTTP: for each scenario and engine a fresh"
          + " database and a fresh service process, closed-loop clients, then the invariant checks."
          + " Writes report.json, report.md and report.svg (and soak.json, soak.md with --soak).",
      "Scenarios: hot-lead, hot-account, uniform, balance-read. Uses the embedded PostgreSQL in a"
          + " temporary directory unless LEADCREDITS_DB_URL is set.",
      ""
    })
public final class BenchCommand implements Callable<Integer>, Subcommand {
  private static final Duration durationDefault = Duration.ofSeconds(30);
  private static final Duration durationQuick = Duration.ofSeconds(5);

  /**
   * The JIT compilers' share of the actor service's CPU under hot-lead load (async-profiler, 20 s
   * windows from the start of load, 2026-12-05): 27%, 24%, 8.5%, 7.6%, 1.7%. With 30 s of warm-up a
   * window measured the JIT as much as the engine; 60 s leaves it a few percent. The baselines get
   * the same warm-up.
   */
  private static final Duration warmupDefault = Duration.ofSeconds(60);

  @Spec private CommandSpec spec;

  @Option(
      names = "--quick",
      description = "every scenario and engine in a few minutes: 5s runs, smaller seeds")
  private boolean quick;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      description = "run only this scenario (repeatable; default: all)")
  private List<String> scenarios = new ArrayList<>();

  @Option(
      names = "--engines",
      paramLabel = "LIST",
      split = ",",
      description = "engines to run, comma-separated (default: actors,locks,sql)")
  private List<String> engines = new ArrayList<>();

  @Option(
      names = "--clients",
      paramLabel = "N",
      defaultValue = "256",
      description = "closed-loop clients (default ${DEFAULT-VALUE})")
  private int clients;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "measured time per run, e.g. 30s or 2m (default 30s; 5s with --quick)")
  private Duration duration;

  @Option(
      names = "--warmup",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "unmeasured load before each run's window (default 60s; 1s with --quick): the JIT"
              + " compiles the hot paths during it, as in a service that has been up a while")
  private Duration warmupFlag;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "report directory (default bench-results/<timestamp>)")
  private Path out;

  @Option(names = "--no-probes", description = "skip the engine probes (heap, recovery)")
  private boolean noProbes;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "also run the actor engine as a cluster of N nodes (2.."
              + BenchOptions.nodesMax
              + ") on the same database, clients spread over them, next to its 1-node run"
              + " (default 1: one node only)")
  private int nodes;

  @Option(
      names = "--soak",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "instead of --duration: each run lasts this long after its warm-up (e.g. 30m), sampled"
              + " every minute into soak.json and soak.md (rate, p99, heap after GC, snapshot and"
              + " journal size), and judged on whether heap and rate hold steady")
  private Duration soak;

  @Option(
      names = "--sinks",
      description =
          "also run the actor engine with both event sinks on, after its run without: two webhook"
              + " receivers in this JVM and a Kafka broker (a child JVM, KRaft); reports the rate"
              + " with over without, the sinks' lag p99, and whether every event reached both")
  private boolean sinks;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      description =
          "runs of each scenario × engine, interleaved (ABC, CBA, ABC…); the report gives the"
              + " median and range, and a target is met only if the worst round meets it (default "
              + BenchOptions.repeatDefault
              + "; 1 with --quick or --soak)")
  private Integer repeat;

  @Option(
      names = "--locks-pool",
      paramLabel = "N",
      defaultValue = "" + BenchOptions.Pools.sizeDefault,
      description =
          "connections of the locks baseline (its baseline.pool-size; default ${DEFAULT-VALUE})")
  private int locksPool;

  @Option(
      names = "--sql-pool",
      paramLabel = "N",
      defaultValue = "" + BenchOptions.Pools.sizeDefault,
      description =
          "connections of the sql baseline (its baseline.pool-size; default ${DEFAULT-VALUE})")
  private int sqlPool;

  @Option(
      names = "--sweep-pools",
      description =
          "instead of the usual runs: each baseline engine on pools of 2, 4, 5, 8 and 16"
              + " connections, --repeat interleaved runs per size; the report's Pool sweep names"
              + " the best clean size per scenario and engine")
  private boolean sweepPools;

  @Option(
      names = "--soak-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      hidden = true,
      description = "sampling interval of --soak (default 1m): shorter for a quick look or a test")
  private Duration soakInterval;

  @Option(
      names = "--rate",
      paramLabel = "R",
      description =
          "open loop: instead of closed-loop clients, offer R requests a second on a fixed"
              + " schedule, sent whether or not earlier ones were answered, latency measured from"
              + " each request's intended send time; --clients bounds the requests in flight")
  private Long rate;

  @Option(
      names = "--curve",
      description =
          "after each engine's closed-loop run, sweep open-loop load at 10, 25, 50, 75, 90, 100"
              + " and 110%% of the peak it measured (on a fresh service, each point --duration"
              + " long) and draw latency percentiles against offered load (curve.svg)")
  private boolean curve;

  @Override
  public Integer call() throws Exception {
    BenchOptions options;
    OpenLoopOptions openLoop;
    try {
      options = options();
      openLoop = openLoop(options);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter printer = spec.commandLine().getOut();
    new BenchRunner(options, openLoop, printer).run();
    return 0;
  }

  /** The open-loop load asked for, or null. */
  private OpenLoopOptions openLoop(BenchOptions options) {
    if (rate == null && !curve) {
      return null;
    }
    if (options.soak() != null || options.sinks()) {
      throw new IllegalArgumentException("--rate and --curve run without --soak and --sinks");
    }
    return new OpenLoopOptions(rate, curve);
  }

  private BenchOptions options() {
    List<EngineKind> kinds = new ArrayList<>();
    for (String e : engines.isEmpty() ? List.of("actors", "locks", "sql") : engines) {
      kinds.add(EngineKind.parse(e));
    }
    BenchOptions.Soak soaking = soak();
    Duration measured =
        soaking != null
            ? soaking.window()
            : duration != null ? duration : quick ? durationQuick : durationDefault;
    Duration warmup =
        warmupFlag != null ? warmupFlag : quick ? Duration.ofSeconds(1) : warmupDefault;
    Path dir =
        out != null
            ? out
            : Path.of(
                "bench-results",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    List<String> javaOpts = BenchOptions.serviceJavaOptsFromEnvironment();
    return new BenchOptions(
        quick,
        scenarios.isEmpty() ? BenchOptions.allScenarios() : scenarios,
        kinds,
        clients,
        measured,
        warmup,
        dir,
        !noProbes,
        reproduceCommand(javaOpts),
        nodes,
        javaOpts,
        soaking,
        sinks,
        repeat != null ? repeat : quick || soaking != null ? 1 : BenchOptions.repeatDefault,
        new BenchOptions.Pools(locksPool, sqlPool, sweepPools));
  }

  /** The soak asked for, or null. */
  private BenchOptions.Soak soak() {
    if (soak == null) {
      if (soakInterval != null) {
        throw new IllegalArgumentException("--soak-interval needs --soak");
      }
      return null;
    }
    if (duration != null) {
      throw new IllegalArgumentException("--soak replaces --duration: give one of them");
    }
    return new BenchOptions.Soak(
        soak, soakInterval != null ? soakInterval : BenchOptions.Soak.intervalDefault);
  }

  /** The command line as typed, after the service JVM flags from the environment if any. */
  private String reproduceCommand(List<String> javaOpts) {
    String args = String.join(" ", spec.commandLine().getParseResult().originalArgs());
    String env =
        javaOpts.isEmpty()
            ? ""
            : BenchOptions.serviceJavaOptsEnv + "='" + String.join(" ", javaOpts) + "' ";
    return env + "./leadcredits " + args;
  }

  /** A positive duration: {@code 500ms}, {@code 30s}, {@code 2m}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,6})(ms|s|m)");

    @Override
    public Duration convert(String value) {
      Matcher m = DURATION.matcher(value.strip());
      if (!m.matches()) {
        throw new TypeConversionException("expected a duration like 30s, 2m or 500ms");
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMinutes(n);
      };
    }
  }
}
