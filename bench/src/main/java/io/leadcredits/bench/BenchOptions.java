package io.leadcredits.bench;

import io.leadcredits.EngineKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What to run: the scenarios and engines, the number of closed-loop clients, the measured duration
 * and warm-up of each run, where the reports go, the command line that reproduces it, and the
 * cluster size: with {@code nodes > 1} the actor engine runs once on one node and once on a cluster
 * of that many nodes sharing the database, the clients spread over them. {@code serviceJavaOpts}
 * are JVM flags added to every service the benchmark starts. With a {@code soak} (null: none) the
 * measured window of each run is the soak, sampled at every interval. With {@code sinks} the actor
 * engine's one-node run of each scenario is run a second time with both event sinks on (two webhook
 * receivers and a Kafka broker), to measure what announcing every change costs. Each scenario ×
 * engine runs {@code repeat} times, interleaved (ABC, CBA, ABC…), so a slow minute of the machine
 * falls on every engine alike. {@code pools} are the baselines' connection pools, each its own, or
 * a sweep of sizes in place of the usual runs.
 */
public record BenchOptions(
    boolean quick,
    List<String> scenarios,
    List<EngineKind> engines,
    int clients,
    Duration duration,
    Duration warmup,
    Path out,
    boolean probes,
    String command,
    int nodes,
    List<String> serviceJavaOpts,
    Soak soak,
    boolean sinks,
    int repeat,
    Pools pools) {

  public static final int clientsMax = 4096;

  /** Cluster sizes the benchmark starts on one machine; more would only share the same cores. */
  public static final int nodesMax = 5;

  public BenchOptions {
    scenarios = List.copyOf(scenarios);
    engines = List.copyOf(engines);
    serviceJavaOpts = List.copyOf(serviceJavaOpts);
    if (clients < 1 || clients > clientsMax) {
      throw new IllegalArgumentException("clients must be 1.." + clientsMax);
    }
    if (nodes < 1 || nodes > nodesMax) {
      throw new IllegalArgumentException("nodes must be 1.." + nodesMax);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive");
    }
    if (sinks && !engines.contains(EngineKind.ACTORS)) {
      throw new IllegalArgumentException("--sinks needs the actors engine: only it has sinks");
    }
    if (repeat < 1 || repeat > repeatMax) {
      throw new IllegalArgumentException("repeat must be 1.." + repeatMax);
    }
    if (soak != null && repeat != 1) {
      throw new IllegalArgumentException("a soak runs once: --repeat must be 1 with --soak");
    }
    if (pools.sweep() && engines.stream().noneMatch(e -> e != EngineKind.ACTORS)) {
      throw new IllegalArgumentException("--sweep-pools needs a baseline engine (locks, sql)");
    }
    if (pools.sweep() && (soak != null || sinks)) {
      throw new IllegalArgumentException("--sweep-pools runs neither a soak nor sinks");
    }
    if (soak != null && !duration.equals(soak.window())) {
      throw new IllegalArgumentException("a soak's measured duration is the soak itself");
    }
    for (String s : scenarios) {
      if (Scenarios.named(s).isEmpty()) {
        throw new IllegalArgumentException(
            "unknown scenario " + s + "; one of " + String.join(", ", Scenarios.names()));
      }
    }
  }

  /**
   * Closed-loop runs, each scenario × engine once, without a soak or sinks, the baselines on their
   * default pools; the {@code with…} methods change those.
   */
  public static BenchOptions of(
      boolean quick,
      List<String> scenarios,
      List<EngineKind> engines,
      int clients,
      Duration duration,
      Duration warmup,
      Path out,
      boolean probes,
      String command,
      int nodes,
      List<String> serviceJavaOpts) {
    return new BenchOptions(
        quick,
        scenarios,
        engines,
        clients,
        duration,
        warmup,
        out,
        probes,
        command,
        nodes,
        serviceJavaOpts,
        null,
        false,
        1,
        Pools.standard());
  }

  /** The same options with a soak (null: none); {@code duration} must be its window. */
  public BenchOptions withSoak(Soak soak) {
    return new BenchOptions(
        quick,
        scenarios,
        engines,
        clients,
        duration,
        warmup,
        out,
        probes,
        command,
        nodes,
        serviceJavaOpts,
        soak,
        sinks,
        repeat,
        pools);
  }

  /** The same options with both sinks on or off. */
  public BenchOptions withSinks(boolean sinks) {
    return new BenchOptions(
        quick,
        scenarios,
        engines,
        clients,
        duration,
        warmup,
        out,
        probes,
        command,
        nodes,
        serviceJavaOpts,
        soak,
        sinks,
        repeat,
        pools);
  }

  /** The same options with each scenario × engine run {@code repeat} times. */
  public BenchOptions withRepeat(int repeat) {
    return new BenchOptions(
        quick,
        scenarios,
        engines,
        clients,
        duration,
        warmup,
        out,
        probes,
        command,
        nodes,
        serviceJavaOpts,
        soak,
        sinks,
        repeat,
        pools);
  }

  /** The same options with these baseline pools. */
  public BenchOptions withPools(Pools pools) {
    return new BenchOptions(
        quick,
        scenarios,
        engines,
        clients,
        duration,
        warmup,
        out,
        probes,
        command,
        nodes,
        serviceJavaOpts,
        soak,
        sinks,
        repeat,
        pools);
  }

  /** Runs of each scenario × engine a full run makes unless told otherwise. */
  public static final int repeatDefault = 3;

  /** A bound, so a typo does not queue days of runs. */
  public static final int repeatMax = 20;

  /**
   * The baselines' connection pools ({@code baseline.pool-size} of the service each starts), each
   * baseline its own; with {@code sweep} each baseline runs on every size of {@link #sweepSizes}
   * instead, {@code repeat} interleaved runs per size, and the report says which served best.
   */
  public record Pools(int locks, int sql, boolean sweep) {
    /**
     * The service's own default (baseline.pool-size); a baseline's best is the sweep's to say, see
     * docs/benchmarks.md, "The engines".
     */
    public static final int sizeDefault = 8;

    /** HikariCP's advice for two cores and the sizes around it, as issue 27 names them. */
    public static final List<Integer> sweepSizes = List.of(2, 4, 5, 8, 16);

    /** The service refuses a pool outside this (Settings: baseline.pool-size). */
    public static final int sizeMax = 256;

    public Pools {
      if (locks < 1 || locks > sizeMax || sql < 1 || sql > sizeMax) {
        throw new IllegalArgumentException("a baseline's pool must be 1.." + sizeMax);
      }
    }

    public static Pools standard() {
      return new Pools(sizeDefault, sizeDefault, false);
    }

    /** The pool of a baseline engine; 0 for the actor engine, which has none of these. */
    public int of(EngineKind engine) {
      if (engine == EngineKind.LOCKS) {
        return locks;
      }
      return engine == EngineKind.SQL ? sql : 0;
    }
  }

  /**
   * A soak: each run's measured window is {@code length} of closed-loop load, cut into intervals of
   * {@code interval} (a remainder shorter than one is not run), each sampled at its end: its rate
   * and p99, the service's heap after a full GC, the hot account's snapshot and the journal's size.
   */
  public record Soak(Duration length, Duration interval) {
    /** One sample a minute: soak.json's {@code minute}s. Tests sample more often. */
    public static final Duration intervalDefault = Duration.ofMinutes(1);

    /**
     * Two days: a soak can outlast the 24 h idempotency window and see remembered transaction ids
     * expire; it also bounds the samples kept in memory.
     */
    public static final Duration lengthMax = Duration.ofDays(2);

    public Soak {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("the soak's interval must be positive");
      }
      if (length.compareTo(interval) < 0) {
        throw new IllegalArgumentException(
            "a soak must last at least one interval (" + interval.toSeconds() + " s)");
      }
      if (length.compareTo(lengthMax) > 0) {
        throw new IllegalArgumentException("a soak lasts at most " + lengthMax.toHours() + " h");
      }
    }

    /** Intervals sampled: whole intervals within the length. */
    public int samples() {
      return (int) (length.toNanos() / interval.toNanos());
    }

    /** The measured window: the whole intervals run. */
    public Duration window() {
      return interval.multipliedBy(samples());
    }
  }

  /** Whether a single scenario on a single engine and cluster size runs. */
  boolean oneRun() {
    boolean cluster = nodes > 1 && engines.contains(EngineKind.ACTORS);
    return scenarios.size() == 1 && engines.size() == 1 && !cluster && !sinks;
  }

  /**
   * The service's JVM: a fixed heap, so runs do not differ by heap growth. 2 GiB because the actor
   * engine keeps the uniform and balance-read runs' 100,000 accounts resident: in 1 GiB that is
   * half the heap, and G1's concurrent marking and card refinement took about a third of the
   * service's CPU (async-profiler, balance-read, 2026-12-05). The HTTP request and idle timeouts
   * are raised only so that {@code GET /api/audit} can read a large journal after the run (a
   * 30-minute hot-account soak leaves millions of events; an audit connection idle for over a
   * minute was closed, and each retry started one more audit beside the others); entity requests
   * still answer 503 after the service's 5 s ask timeout.
   */
  static final List<String> serviceJvmFlagsOwn =
      List.of(
          "-Xms2g",
          "-Xmx2g",
          "-XX:+UseG1GC",
          "-Dpekko.http.server.request-timeout=300s",
          "-Dpekko.http.server.idle-timeout=300s");

  /** Extra JVM flags for every service the benchmark starts; see {@link #serviceJavaOpts}. */
  public static final String serviceJavaOptsEnv = "LEADCREDITS_BENCH_SERVICE_JAVA_OPTS";

  /**
   * The flags in {@value #serviceJavaOptsEnv}, which go after the service's own, so a GC or
   * dispatcher experiment runs without a rebuild (docs/benchmarks.md lists the ones tried).
   */
  public static List<String> serviceJavaOptsFromEnvironment() {
    String extra = System.getenv(serviceJavaOptsEnv);
    return extra == null || extra.isBlank() ? List.of() : List.of(extra.strip().split("\\s+"));
  }

  /** Every flag each service's JVM starts with: its own, then {@link #serviceJavaOpts}. */
  List<String> serviceJvmFlags() {
    return serviceJvmFlags(serviceJavaOpts);
  }

  /** The service's own flags followed by {@code extra}; a collector chosen in these replaces G1. */
  static List<String> serviceJvmFlags(List<String> extra) {
    // A JVM refuses to start with two collectors selected.
    boolean collectorChosen = extra.stream().anyMatch(f -> f.matches("-XX:\\+Use\\w+GC"));
    List<String> all = new ArrayList<>();
    for (String flag : serviceJvmFlagsOwn) {
      if (!(collectorChosen && flag.equals("-XX:+UseG1GC"))) {
        all.add(flag);
      }
    }
    all.addAll(extra);
    return all;
  }

  /** Every scenario, when none was named. */
  public static List<String> allScenarios() {
    return Scenarios.names();
  }
}
