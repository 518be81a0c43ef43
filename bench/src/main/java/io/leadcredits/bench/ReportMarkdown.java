package io.leadcredits.bench;

import java.util.Collections;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;

/**
 * report.md: the targets, a table per scenario, the ratios, the probes, the machine and how to
 * reproduce.
 */
final class ReportMarkdown {
  private ReportMarkdown() {}

  static String of(Report report) {
    StringBuilder md = new StringBuilder();
    Machine m = report.machine;
    md.append("# leadcredits benchmark\n\n");
    md.append("- date: ").append(report.startedAt).append('\n');
    md.append(
        f(
            "- machine: %d cores, %.1f GB, %s; %s; %s%n",
            m.cores(), m.memoryGb(), m.os(), m.java(), m.postgres()));
    md.append(
        f(
            "- runs: %d closed-loop clients, %.0f s measured after %.0f s warm-up%s; service JVM"
                + " `%s`%n",
            report.options.clients(),
            report.options.duration().toMillis() / 1000.0,
            report.options.warmup().toMillis() / 1000.0,
            report.options.quick() ? " (--quick: smaller seeds)" : "",
            String.join(" ", report.options.serviceJvmFlags())));
    md.append(
        f(
            "- each scenario × engine run %d time%s%s; baselines' pools: %s%n",
            report.options.repeat(),
            report.options.repeat() == 1 ? "" : "s",
            report.options.repeat() == 1
                ? ""
                : ", interleaved (ABC, CBA, …); tables list every run, ratios pair runs of the"
                    + " same round, targets judge the worst round",
            report.options.pools().sweep()
                ? "swept (see Pool sweep)"
                : f(
                    "locks %d, sql %d",
                    report.options.pools().locks(), report.options.pools().sql())));
    md.append("- reproduce: `").append(report.options.command()).append("`\n\n");
    md.append("- commit: ").append(report.gitCommit == null ? "unknown" : report.gitCommit);
    md.append("; run order: ");
    md.append(String.join(", ", report.results.stream().map(report::orderEntry).toList()));
    md.append('\n');
    md.append("- PostgreSQL settings, read from the server: ");
    md.append(
        String.join(
            ", ",
            m.postgresSettings().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .sorted()
                .toList()));
    md.append("\n\n");
    md.append(
        m.durable()
            ? "Every 2xx is durable: the server ran with fsync and synchronous_commit on."
            : "**Not every 2xx was durable**: the server ran without fsync or synchronous_commit,"
                + " so these figures are not comparable with durable runs.");
    md.append(
        " CPU is the share of all"
            + " cores over the measured window: the generator (this JVM), the service (its child"
            + " JVM) and the whole machine (service, PostgreSQL and generator).\n\n");
    Targets.markdown(md, report.targets);
    for (String scenario : report.options.scenarios()) {
      scenario(md, report, scenario);
    }
    OpenLoopReport.markdown(md, report.open, report.options.scenarios());
    poolSweep(md, report.poolSweep());
    skipped(md, report.skipped);
    Probes.markdown(md, report.probes);
    return md.toString();
  }

  private static void scenario(StringBuilder md, Report report, String name) {
    Scenario s = Scenarios.named(name).orElseThrow();
    md.append("## ").append(name).append("\n\n");
    md.append(f("seed %d; %s%n%n", s.seed(), s.sizes(report.options.quick())));
    md.append(
        "| engine | run | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | accepted | rejected |"
            + " errors | timeouts | invariants | cpu gen / server / machine |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
    for (RunResult r : report.results) {
      if (!r.scenario().equals(name)) {
        continue;
      }
      RunResult.Percentiles p = r.latencyMs();
      md.append(
          f(
              "| %s | %d | %,.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %d | %d | %d | %d | %s |"
                  + " %.0f%% / %.0f%% / %.0f%% |%n",
              r.engine(),
              r.repeat(),
              r.throughputPerSecond(),
              p.p50(),
              p.p90(),
              p.p99(),
              p.p999(),
              p.max(),
              r.accepted(),
              r.rejected(),
              r.errors(),
              r.timeouts(),
              r.invariantsHold() ? "hold" : "**violated**",
              r.cpu().generator() * 100,
              r.cpu().server() * 100,
              r.cpu().machine() * 100));
    }
    md.append('\n');
    medians(md, report, name);
    for (String baseline : List.of("locks", "sql")) {
      List<Report.Pair> pairs = report.pairs(name, "actors", baseline);
      if (pairs.isEmpty()) {
        continue;
      }
      List<Double> each = pairs.stream().map(Report.Pair::ratio).toList();
      String counts =
          pairs.stream().allMatch(Report.Pair::clean)
              ? ""
              : " (does not count: a run of the pair was not clean)";
      if (pairs.size() == 1) {
        md.append(f("- actors / %s throughput: **%.2f×**%s%n", baseline, each.get(0), counts));
      } else {
        md.append(
            f(
                "- actors / %s throughput: median **%.2f×**, range %.2f× to %.2f× over %d rounds"
                    + " (worst %.2f×)%s%n",
                baseline,
                Report.median(each),
                Collections.min(each),
                Collections.max(each),
                each.size(),
                Collections.min(each),
                counts));
      }
    }
    Double sinks = report.sinksRatio(name);
    if (sinks != null) {
      md.append(f("- actors with both sinks / without: **%.2f×**%n", sinks));
    }
    details(md, report, name);
    md.append('\n');
  }

  private static void details(StringBuilder md, Report report, String name) {
    for (RunResult r : report.results) {
      if (!r.scenario().equals(name)) {
        continue;
      }
      ClientChecks.Verdict v = r.checks();
      String run = report.options.repeat() > 1 ? r.engine() + " #" + r.repeat() : r.engine();
      md.append(
          f(
              "- %s checks: audit %s; %d accounts and %d leads checked against the clients'"
                  + " acknowledgements%s%s%s%s%n",
              run,
              v.auditOk() ? "ok" : "FAILED",
              v.accountsChecked(),
              v.leadsChecked(),
              v.uncertainAccounts() > 0
                  ? f(
                      "; %d accounts with an unresolved outcome, left out of the balance check",
                      v.uncertainAccounts())
                  : "",
              v.unresolved().isEmpty() ? "" : "; unresolved: " + v.unresolved(),
              v.bodiesChecked() > 0 ? f("; %d bodies read checked", v.bodiesChecked()) : "",
              v.problems().isEmpty() ? "" : "; problems: " + v.problems()));
      if (r.journal() != null) {
        RunResult.Journal j = r.journal();
        md.append(
            f(
                "- %s journal: %d events in %d commits during the window, %,.0f events/s, %.1f"
                    + " events per commit%n",
                run, j.events(), j.commits(), j.eventsPerSecond(), j.eventsPerCommit()));
      }
      if (r.sinks() != null) {
        md.append(f("- %s %s%n", run, Report.sinksLine(r.sinks())));
      }
      if (!r.errorSamples().isEmpty()) {
        md.append(f("- %s error samples: %s%n", run, r.errorSamples()));
      }
    }
  }

  /** Each engine's median throughput and p99 with their ranges, when it ran more than once. */
  private static void medians(StringBuilder md, Report report, String name) {
    for (RunResult m : report.medians()) {
      List<RunResult> runs = report.runs(name, m.engine());
      if (!m.scenario().equals(name) || runs.size() < 2) {
        continue;
      }
      DoubleSummaryStatistics rate =
          runs.stream().mapToDouble(RunResult::throughputPerSecond).summaryStatistics();
      DoubleSummaryStatistics p99 =
          runs.stream().mapToDouble(r -> r.latencyMs().p99()).summaryStatistics();
      md.append(
          f(
              "- %s over %d runs: median %,.0f req/s (range %,.0f to %,.0f), p99 median %.2f ms"
                  + " (range %.2f to %.2f)%n",
              m.engine(),
              runs.size(),
              Report.median(runs.stream().map(RunResult::throughputPerSecond).toList()),
              rate.getMin(),
              rate.getMax(),
              Report.median(runs.stream().map(r -> r.latencyMs().p99()).toList()),
              p99.getMin(),
              p99.getMax()));
    }
  }

  /** The pool sweep: each baseline's throughput per pool size, and the best clean size. */
  private static void poolSweep(StringBuilder md, List<Report.PoolSweep> sweeps) {
    if (sweeps.isEmpty()) {
      return;
    }
    md.append("## Pool sweep\n\n");
    md.append("| scenario | engine | pool | median req/s | range | runs | clean |\n");
    md.append("|---|---|---:|---:|---|---:|---|\n");
    for (Report.PoolSweep s : sweeps) {
      for (Report.PoolPoint p : s.points()) {
        md.append(
            f(
                "| %s | %s | %s | %,.0f | %,.0f to %,.0f | %d | %s |%n",
                s.scenario(),
                s.engine(),
                p.pool() == s.best() ? "**" + p.pool() + "**" : Integer.toString(p.pool()),
                p.medianPerSecond(),
                p.minPerSecond(),
                p.maxPerSecond(),
                p.runs(),
                p.clean() ? "yes" : "**no**"));
      }
    }
    md.append("\nBest clean pool per scenario and engine in bold.\n\n");
  }

  private static void skipped(StringBuilder md, List<Report.Skipped> skipped) {
    if (skipped.isEmpty()) {
      return;
    }
    md.append("## Not run\n\n");
    for (Report.Skipped s : skipped) {
      md.append(f("- %s on %s: %s%n", s.scenario(), s.engine(), s.reason()));
    }
    md.append('\n');
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
