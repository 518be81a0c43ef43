package io.leadcredits.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The benchmark's outcome and its three files: report.json, report.md and report.svg. */
final class Report {
  /** A scenario and engine that could not run (e.g. an engine not built yet), and why. */
  record Skipped(String scenario, String engine, String reason) {}

  final BenchOptions options;
  final Instant startedAt;

  /** The commit the code was built from ({@code -dirty} with local changes), or null. */
  final String gitCommit;

  final Machine machine;
  final List<RunResult> results;
  final List<Skipped> skipped;
  final Probes.Results probes;

  /**
   * The open-loop runs (--rate, --curve), apart from the closed-loop ones they do not compare with.
   */
  final List<OpenLoopResult> open;

  /** The targets checked against this run, once, for all three outputs. */
  final List<Targets.Verdict> targets;

  Report(
      BenchOptions options,
      Instant startedAt,
      String gitCommit,
      Machine machine,
      List<RunResult> results,
      List<Skipped> skipped,
      Probes.Results probes) {
    this(options, startedAt, gitCommit, machine, results, skipped, probes, List.of());
  }

  Report(
      BenchOptions options,
      Instant startedAt,
      String gitCommit,
      Machine machine,
      List<RunResult> results,
      List<Skipped> skipped,
      Probes.Results probes,
      List<OpenLoopResult> open) {
    this.open = List.copyOf(open);
    this.options = options;
    this.startedAt = startedAt;
    this.gitCommit = gitCommit;
    this.machine = machine;
    this.results = List.copyOf(results);
    this.skipped = List.copyOf(skipped);
    this.probes = probes;
    this.targets = OpenLoopTargets.with(Targets.of(this), this);
  }

  Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(
        dir.resolve("report.json"),
        mapper.writeValueAsString(json(mapper)),
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.md"), ReportMarkdown.of(this), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.svg"), ReportSvg.of(medians()), StandardCharsets.UTF_8);
    if (!open.isEmpty()) {
      Files.writeString(
          dir.resolve(OpenLoopReport.svgFile), CurveSvg.of(open), StandardCharsets.UTF_8);
    }
    return dir;
  }

  ObjectNode json(ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    root.put("command", options.command());
    root.put("startedAt", startedAt.toString());
    root.put("gitCommit", gitCommit);
    ArrayNode order = root.putArray("engineOrder");
    results.forEach(r -> order.add(orderEntry(r)));
    ObjectNode flags = root.putObject("jvmFlags");
    flags.put("service", String.join(" ", options.serviceJvmFlags()));
    flags.put("client", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    root.set("postgresSettings", mapper.valueToTree(machine.postgresSettings()));
    root.put("durable", machine.durable());
    ObjectNode m = root.putObject("machine");
    m.put("cores", machine.cores());
    m.put("memoryGb", machine.memoryGb());
    m.put("java", machine.java());
    m.put("postgres", machine.postgres());
    m.put("os", machine.os());
    root.put("quick", options.quick());
    root.put("warmupSeconds", options.warmup().toMillis() / 1000.0);
    root.put("serviceJvmFlags", String.join(" ", options.serviceJvmFlags()));
    root.put("repeat", options.repeat());
    ObjectNode pools = root.putObject("baselinePools");
    if (options.pools().sweep()) {
      pools.put("sweep", true);
    } else {
      pools.put("locks", options.pools().locks());
      pools.put("sql", options.pools().sql());
    }
    ArrayNode rs = root.putArray("results");
    results.forEach(r -> rs.add(result(mapper, r)));
    open.forEach(o -> rs.add(OpenLoopReport.json(mapper, o)));
    ArrayNode sk = root.putArray("skipped");
    skipped.forEach(s -> sk.add(mapper.valueToTree(s)));
    root.set("ratios", ratios(mapper));
    if (options.pools().sweep()) {
      root.set("poolSweep", mapper.valueToTree(poolSweep()));
    }
    root.set("targets", mapper.valueToTree(targets));
    root.set("probes", mapper.valueToTree(probes));
    return root;
  }

  /** A run in the order they were made: scenario/engine, with #round when runs repeat. */
  String orderEntry(RunResult r) {
    String entry = r.scenario() + "/" + r.engine();
    return options.repeat() > 1 ? entry + "#" + r.repeat() : entry;
  }

  static ObjectNode result(ObjectMapper mapper, RunResult r) {
    ObjectNode n = mapper.createObjectNode();
    n.put("scenario", r.scenario());
    n.put("engine", r.engine());
    n.put("repeat", r.repeat());
    n.put("mode", "closed");
    n.put("clients", r.clients());
    n.put("durationSeconds", round(r.durationSeconds(), 2));
    n.put("requests", r.requests());
    n.put("throughputPerSecond", round(r.throughputPerSecond(), 1));
    n.put("accepted", r.accepted());
    n.put("rejected", r.rejected());
    n.put("errors", r.errors());
    n.put("timeouts", r.timeouts());
    n.set("latencyMs", mapper.valueToTree(r.latencyMs()));
    n.put("invariantsHold", r.invariantsHold());
    n.put("seed", r.seed());
    ObjectNode cpu = n.putObject("cpu");
    cpu.put("generator", round(r.cpu().generator(), 3));
    cpu.put("server", round(r.cpu().server(), 3));
    cpu.put("machine", round(r.cpu().machine(), 3));
    n.set("checks", mapper.valueToTree(r.checks()));
    n.set("errorSamples", mapper.valueToTree(r.errorSamples()));
    if (r.journal() != null) {
      n.set("journal", mapper.valueToTree(r.journal()));
    }
    if (r.sinks() != null) {
      RunResult.Sinks k = r.sinks();
      ObjectNode sinks = n.putObject("sinks");
      sinks.put("events", k.events());
      sinks.put("receivers", k.receivers());
      seconds(sinks, "kafkaLagP99Seconds", k.kafkaLagP99Seconds());
      seconds(sinks, "webhooksLagP99Seconds", k.webhooksLagP99Seconds());
      seconds(sinks, "webhookDeliveryP99Seconds", k.webhookDeliveryP99Seconds());
      sinks.put("allDelivered", k.allDelivered());
      sinks.put("missingKafka", k.missingKafka());
      sinks.put("missingWebhooks", k.missingWebhooks());
      sinks.put("kafkaCopiesAgain", k.kafkaCopiesAgain());
      sinks.put("webhookCopiesAgain", k.webhookCopiesAgain());
      seconds(sinks, "drainSeconds", k.drainSeconds());
      k.missing().forEach(sinks.putArray("missing")::add);
    }
    return n;
  }

  /** Seconds to the millisecond; null when there was nothing to measure (JSON has no NaN). */
  private static void seconds(ObjectNode n, String field, double value) {
    if (Double.isNaN(value)) {
      n.putNull(field);
    } else {
      n.put(field, round(value, 3));
    }
  }

  /**
   * actors/locks and actors/sql throughput per scenario, where both ran: the median of the ratios
   * of runs made in the same round, their range and each round's.
   */
  private ObjectNode ratios(ObjectMapper mapper) {
    ObjectNode ratios = mapper.createObjectNode();
    for (String scenario : options.scenarios()) {
      ObjectNode s = mapper.createObjectNode();
      for (String baseline : List.of("locks", "sql")) {
        String key = "actorsOver" + capitalized(baseline);
        List<Pair> pairs = pairs(scenario, "actors", baseline);
        if (!pairs.isEmpty()) {
          List<Double> each = pairs.stream().map(Pair::ratio).toList();
          s.put(key, round(median(each), 2));
          ArrayNode range = s.putArray(key + "Range");
          range.add(round(Collections.min(each), 2));
          range.add(round(Collections.max(each), 2));
          ArrayNode runs = s.putArray(key + "Runs");
          each.forEach(r -> runs.add(round(r, 2)));
          s.put(key + "Counts", pairs.stream().allMatch(Pair::clean));
        }
      }
      Double sinks = sinksRatio(scenario);
      if (sinks != null) {
        s.put("actorsWithSinksOverActors", round(sinks, 3));
      }
      if (!s.isEmpty()) {
        ratios.set(scenario, s);
      }
    }
    return ratios;
  }

  /**
   * Two runs of a scenario made in the same round of the interleaving: the actor engine's and
   * another's.
   */
  record Pair(RunResult actors, RunResult other) {
    double ratio() {
      return actors.throughputPerSecond() / other.throughputPerSecond();
    }

    /** A ratio counts only when both runs are clean: the baseline's faults are no credit. */
    boolean clean() {
      return actors.clean() && other.clean();
    }
  }

  /**
   * The runs of {@code engine} and {@code other} paired round by round, where both ran and the
   * other served anything.
   */
  List<Pair> pairs(String scenario, String engine, String other) {
    List<Pair> pairs = new ArrayList<>();
    for (RunResult a : runs(scenario, engine)) {
      for (RunResult b : runs(scenario, other)) {
        if (a.repeat() == b.repeat() && b.throughputPerSecond() > 0) {
          pairs.add(new Pair(a, b));
        }
      }
    }
    return pairs;
  }

  /** The median of the round-by-round ratios actors/baseline, or null where none was made. */
  Double ratio(String scenario, String baseline) {
    List<Pair> pairs = pairs(scenario, "actors", baseline);
    return pairs.isEmpty() ? null : median(pairs.stream().map(Pair::ratio).toList());
  }

  /** The actor engine's throughput with both sinks on over without (median), where both ran. */
  Double sinksRatio(String scenario) {
    List<Pair> pairs = pairs(scenario, "actors" + Run.SINKS_SUFFIX, "actors");
    return pairs.isEmpty() ? null : median(pairs.stream().map(Pair::ratio).toList());
  }

  /** Every run of a scenario on an engine, in the order they were made. */
  List<RunResult> runs(String scenario, String engine) {
    return results.stream()
        .filter(r -> r.scenario().equals(scenario) && r.engine().equals(engine))
        .toList();
  }

  /** The run of median throughput of a scenario on an engine (the lower one of an even count). */
  RunResult find(String scenario, String engine) {
    List<RunResult> runs = new ArrayList<>(runs(scenario, engine));
    if (runs.isEmpty()) {
      return null;
    }
    runs.sort(Comparator.comparingDouble(RunResult::throughputPerSecond));
    return runs.get((runs.size() - 1) / 2);
  }

  /** The median run of each scenario and engine, in the order they first ran. */
  List<RunResult> medians() {
    Set<String> seen = new LinkedHashSet<>();
    List<RunResult> medians = new ArrayList<>();
    for (RunResult r : results) {
      if (seen.add(r.scenario() + "\n" + r.engine())) {
        medians.add(find(r.scenario(), r.engine()));
      }
    }
    return medians;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** A pool size of a sweep: its runs' throughput, median and range, and whether all were clean. */
  record PoolPoint(
      int pool,
      double medianPerSecond,
      double minPerSecond,
      double maxPerSecond,
      int runs,
      boolean clean) {}

  /**
   * A baseline's sweep in one scenario: every size and the best, the clean size of highest median
   * throughput (0 when none was clean).
   */
  record PoolSweep(String scenario, String engine, List<PoolPoint> points, int best) {}

  /** The pool sweep's outcome, from the runs labelled {@code locks-pool4} and the like. */
  List<PoolSweep> poolSweep() {
    List<PoolSweep> sweeps = new ArrayList<>();
    for (String scenario : options.scenarios()) {
      for (String engine : List.of("locks", "sql")) {
        List<PoolPoint> points = new ArrayList<>();
        for (int size : BenchOptions.Pools.sweepSizes) {
          List<RunResult> runs = runs(scenario, engine + Run.POOL_INFIX + size);
          if (runs.isEmpty()) {
            continue;
          }
          List<Double> rates = runs.stream().map(RunResult::throughputPerSecond).toList();
          points.add(
              new PoolPoint(
                  size,
                  round(median(rates), 1),
                  round(Collections.min(rates), 1),
                  round(Collections.max(rates), 1),
                  runs.size(),
                  runs.stream().allMatch(RunResult::clean)));
        }
        if (!points.isEmpty()) {
          int best =
              points.stream()
                  .filter(PoolPoint::clean)
                  .max(Comparator.comparingDouble(PoolPoint::medianPerSecond))
                  .map(PoolPoint::pool)
                  .orElse(0);
          sweeps.add(new PoolSweep(scenario, engine, points, best));
        }
      }
    }
    return sweeps;
  }

  static String oneLine(RunResult r) {
    return String.format(
        Locale.ROOT,
        "%,.0f req/s  p50 %.2f ms  p99 %.2f ms  max %.1f ms  accepted %d rejected %d errors %d"
            + " timeouts %d  cpu gen %.0f%% server %.0f%% machine %.0f%%  invariants %s",
        r.throughputPerSecond(),
        r.latencyMs().p50(),
        r.latencyMs().p99(),
        r.latencyMs().max(),
        r.accepted(),
        r.rejected(),
        r.errors(),
        r.timeouts(),
        r.cpu().generator() * 100,
        r.cpu().server() * 100,
        r.cpu().machine() * 100,
        r.invariantsHold() ? "hold" : "VIOLATED " + r.checks().problems());
  }

  /** What reached the sinks of a run, in one line. */
  static String sinksLine(RunResult.Sinks k) {
    return String.format(
        Locale.ROOT,
        "sinks: %d events; lag p99 kafka %.3f s, webhooks %.3f s (delivered: %.3f s); %s; sent"
            + " again: kafka %d, webhooks %d; all there %.1f s after the load",
        k.events(),
        k.kafkaLagP99Seconds(),
        k.webhooksLagP99Seconds(),
        k.webhookDeliveryP99Seconds(),
        k.allDelivered()
            ? "every event reached Kafka and each of the " + k.receivers() + " receivers"
            : "MISSING: "
                + k.missingKafka()
                + " from Kafka, "
                + k.missingWebhooks()
                + " from the receivers ("
                + String.join("; ", k.missing())
                + ")",
        k.kafkaCopiesAgain(),
        k.webhookCopiesAgain(),
        k.drainSeconds());
  }

  static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
