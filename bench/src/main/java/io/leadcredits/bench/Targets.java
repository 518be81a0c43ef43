package io.leadcredits.bench;

import static io.leadcredits.bench.ReportMarkdown.f;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's targets (docs/benchmarks.md, "Against the targets") checked against one report:
 * each one met or missed, by how much, and the run's own measurements that bear on why. A target
 * whose run is missing, or was not run under the target's conditions, is reported as not measured
 * rather than as met or missed.
 */
final class Targets {
  static final int targetClients = 256;
  static final double lockRatioMin = 10;
  static final double sqlRatioMin = 3;

  /**
   * hot-lead against sql needs less: sql refuses a loser of a full lead with one statement that
   * writes nothing, about as cheaply as the actors refuse it from memory.
   */
  static final double hotLeadSqlRatioMin = 2.5;

  /** A read served from memory against one database round trip per read. */
  static final double balanceReadSqlRatioMin = 3;

  static final double p99MillisMax = 50;
  static final double balanceReadsPerSecondMin = 30_000;
  static final long heapBytesPerAccountMax = 1_024;

  /**
   * One target. {@code met} is null when it was not measured under its conditions; {@code shortBy}
   * is how many times better the measured figure had to be, null when that is not a factor (met, or
   * missed by errors rather than by a figure).
   */
  record Verdict(String target, String measured, Boolean met, Double shortBy, String evidence) {}

  private final Report report;

  private Targets(Report report) {
    this.report = report;
  }

  static List<Verdict> of(Report report) {
    return new Targets(report).verdicts();
  }

  private List<Verdict> verdicts() {
    List<Verdict> verdicts = new ArrayList<>();
    for (String scenario : List.of("hot-lead", "hot-account")) {
      verdicts.add(ratio(scenario, "locks", lockRatioMin));
      verdicts.add(
          ratio(scenario, "sql", scenario.equals("hot-lead") ? hotLeadSqlRatioMin : sqlRatioMin));
      verdicts.add(clean(scenario));
    }
    verdicts.add(balanceReads());
    verdicts.add(ratio("balance-read", "sql", balanceReadSqlRatioMin));
    verdicts.add(heap());
    return verdicts;
  }

  /**
   * A ratio target judged on the worst of the rounds' ratios (each round's actors run over the
   * baseline's run of the same round): a target met only on a good round is not met.
   */
  private Verdict ratio(String scenario, String baseline, double min) {
    String target =
        f(
            "%s: actors ≥ %s× %s throughput",
            scenario, min == Math.rint(min) ? f("%.0f", min) : f("%.1f", min), baseline);
    List<Report.Pair> pairs = report.pairs(scenario, "actors", baseline);
    if (pairs.isEmpty()) {
      return notMeasured(target, "actors and " + baseline + " did not both run");
    }
    Report.Pair worst =
        pairs.stream().min(Comparator.comparingDouble(Report.Pair::ratio)).orElseThrow();
    String measured =
        f(
            "%.2f× (%,.0f against %,.0f req/s)",
            worst.ratio(),
            worst.actors().throughputPerSecond(),
            worst.other().throughputPerSecond());
    if (pairs.size() > 1) {
      List<Double> each = pairs.stream().map(Report.Pair::ratio).toList();
      measured =
          f(
              "worst of %d runs %s; median %.2f×, range %.2f× to %.2f×",
              pairs.size(),
              measured,
              Report.median(each),
              Collections.min(each),
              Collections.max(each));
    }
    String evidence =
        budget(min * worst.other().throughputPerSecond())
            + "; "
            + cpu(worst.actors())
            + "; "
            + cpu(worst.other());
    String why = null;
    for (Report.Pair p : pairs) {
      for (String reason :
          new String[] {conditions(p.actors()), unclean(p.actors()), unclean(p.other())}) {
        if (why == null) {
          why = reason;
        }
      }
    }
    return verdict(target, measured, evidence, min / worst.ratio(), why);
  }

  /**
   * Why a run cannot stand in a ratio, or null: a ratio against a baseline that failed requests or
   * broke an invariant would credit the product with the baseline's faults.
   */
  private String unclean(RunResult r) {
    if (r.clean()) {
      return null;
    }
    return f(
        "the %s run%s was not clean (%d errors, %d timeouts, invariants %s)",
        r.engine(),
        r.repeat() > 1 || report.options.repeat() > 1 ? " #" + r.repeat() : "",
        r.errors(),
        r.timeouts(),
        r.invariantsHold() ? "hold" : "violated");
  }

  /** The worst of a scenario's actors runs: an unclean one, else the one of highest p99. */
  private RunResult worstOfActors(String scenario) {
    return report.runs(scenario, "actors").stream()
        .max(
            Comparator.comparing((RunResult r) -> !r.clean())
                .thenComparingDouble(r -> r.latencyMs().p99()))
        .orElse(null);
  }

  private Verdict clean(String scenario) {
    String target =
        f(
            "%s: actors p99 ≤ %.0f ms, no errors or timeouts, invariants hold",
            scenario, p99MillisMax);
    RunResult r = worstOfActors(scenario);
    if (r == null) {
      return notMeasured(target, "actors did not run");
    }
    RunResult.Percentiles p = r.latencyMs();
    int runs = report.runs(scenario, "actors").size();
    String measured =
        f(
            "%sp99 %.2f ms, %d errors, %d timeouts, invariants %s",
            runs > 1 ? f("worst of %d runs: ", runs) : "",
            p.p99(),
            r.errors(),
            r.timeouts(),
            r.invariantsHold() ? "hold" : "violated");
    boolean clean = r.clean();
    double p99Over = p.p99() / p99MillisMax;
    String evidence =
        f("p90 %.2f ms, p99.9 %.2f ms, max %.1f ms; %s", p.p90(), p.p999(), p.max(), cpu(r));
    return verdict(
        target,
        measured,
        clean && p99Over <= 1,
        p99Over > 1 ? p99Over : null,
        evidence,
        conditions(r));
  }

  private Verdict balanceReads() {
    String target = f("balance-read: actors ≥ %,.0f reads/s", balanceReadsPerSecondMin);
    RunResult r =
        report.runs("balance-read", "actors").stream()
            .min(Comparator.comparingDouble(RunResult::throughputPerSecond))
            .orElse(null);
    if (r == null) {
      return notMeasured(target, "actors did not run");
    }
    int runs = report.runs("balance-read", "actors").size();
    String measured =
        f(
            "%s%,.0f reads/s",
            runs > 1 ? f("worst of %d runs: ", runs) : "", r.throughputPerSecond());
    return verdict(
        target,
        measured,
        budget(balanceReadsPerSecondMin) + "; " + cpu(r),
        balanceReadsPerSecondMin / r.throughputPerSecond(),
        quick());
  }

  private Verdict heap() {
    String target = f("heap ≤ %,d bytes per resident idle account", heapBytesPerAccountMax);
    Map<String, Object> h = report.probes.heap();
    if (!(h.get("bytesPerAccount") instanceof Number bytes)) {
      return notMeasured(
          target, h.containsKey("error") ? "the heap probe failed" : "the probes did not run");
    }
    String measured = f("%,d bytes at %s accounts", bytes.longValue(), h.get("accounts"));
    String evidence =
        f(
            "under the same sharding and journal a bare event-sourced entity costs %s bytes and a"
                + " bare plain actor %s bytes",
            h.get("bytesPerBarePersistentEntity"), h.get("bytesPerBarePlainEntity"));
    return verdict(
        target, measured, evidence, bytes.doubleValue() / heapBytesPerAccountMax, quick());
  }

  /** Why a run's figures do not count for any target (smaller seeds), or null when they do. */
  private String quick() {
    return report.options.quick() ? "a --quick run" : null;
  }

  /** Why a run does not count for a target taken at 256 clients, or null when it does. */
  private String conditions(RunResult r) {
    if (quick() != null) {
      return quick();
    }
    if (r.clients() != targetClients) {
      return f("run with %d clients, not %d", r.clients(), targetClients);
    }
    return null;
  }

  /**
   * The most CPU a request may take, service, PostgreSQL and load generator together, for this
   * machine to serve a rate at all: a run that spends more per request is bound by CPU below it.
   */
  private String budget(double perSecond) {
    return f(
        "%,.0f req/s leaves %.0f µs of machine CPU per request on %d cores",
        perSecond, report.machine.cores() * 1e6 / perSecond, report.machine.cores());
  }

  /** CPU per request in microseconds: the engine's own service and the whole machine. */
  private String cpu(RunResult r) {
    double perSecond = r.throughputPerSecond();
    int cores = report.machine.cores();
    if (perSecond <= 0 || r.cpu().server() < 0 || r.cpu().machine() < 0) {
      return r.engine() + ": CPU not measured";
    }
    return f(
        "%s: machine CPU %.0f%%, service %.0f µs and machine %.0f µs of CPU per request",
        r.engine(),
        r.cpu().machine() * 100,
        r.cpu().server() * cores * 1e6 / perSecond,
        r.cpu().machine() * cores * 1e6 / perSecond);
  }

  /** A target met when the measured figure had to be at most {@code needed} times better. */
  private static Verdict verdict(
      String target, String measured, String evidence, double needed, String notUnder) {
    return verdict(target, measured, needed <= 1, needed > 1 ? needed : null, evidence, notUnder);
  }

  private static Verdict verdict(
      String target,
      String measured,
      boolean met,
      Double shortBy,
      String evidence,
      String notUnder) {
    if (notUnder != null) {
      return new Verdict(target, measured, null, null, "not under its conditions: " + notUnder);
    }
    return new Verdict(target, measured, met, shortBy, evidence);
  }

  private static Verdict notMeasured(String target, String why) {
    return new Verdict(target, "not measured", null, null, why);
  }

  /** The targets section of report.md. */
  static void markdown(StringBuilder md, List<Verdict> verdicts) {
    md.append("## Targets\n\n");
    md.append("| target | measured | met | short by | measured beside it |\n");
    md.append("|---|---|---|---:|---|\n");
    for (Verdict v : verdicts) {
      md.append(
          f(
              "| %s | %s | %s | %s | %s |%n",
              v.target(),
              v.measured(),
              v.met() == null ? "not measured" : v.met() ? "yes" : "**no**",
              shortBy(v),
              v.evidence()));
    }
    md.append('\n');
  }

  static String oneLine(Verdict v) {
    String met =
        v.met() == null
            ? v.evidence()
            : v.met() ? "met" : "MISSED" + (v.shortBy() == null ? "" : ", short " + shortBy(v));
    return f("%s: %s (%s)", v.target(), v.measured(), met);
  }

  private static String shortBy(Verdict v) {
    return v.shortBy() == null ? "" : f("%.2f×", v.shortBy());
  }
}
