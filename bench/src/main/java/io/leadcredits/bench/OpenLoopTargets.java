package io.leadcredits.bench;

import static io.leadcredits.bench.ReportMarkdown.f;

import java.util.ArrayList;
import java.util.List;

/**
 * The open-loop goals, judged where a run drove open-loop load: the actor engine's p99, from the
 * intended send time, at 50% and at 90% of its own closed-loop peak. A point counts only when every
 * request due was sent and answered without errors or timeouts and the checks held (else the
 * percentiles describe less than the offered load), at the targets' client count, outside --quick.
 */
final class OpenLoopTargets {
  record Goal(int percentOfPeak, double p99MillisMax) {}

  static final List<Goal> goals = List.of(new Goal(50, 10), new Goal(90, 50));

  private OpenLoopTargets() {}

  /** {@code closed} and the open-loop verdicts after them; none without open-loop runs. */
  static List<Targets.Verdict> with(List<Targets.Verdict> closed, Report report) {
    if (report.open.isEmpty()) {
      return closed;
    }
    List<Targets.Verdict> all = new ArrayList<>(closed);
    List<String> scenarios =
        report.open.stream()
            .filter(o -> o.percentOfPeak() != null)
            .map(OpenLoopResult::scenario)
            .distinct()
            .toList();
    for (Goal goal : goals) {
      if (scenarios.isEmpty()) {
        all.add(
            new Targets.Verdict(
                target("", goal), "not measured", null, null, "no --curve in this run"));
      }
      for (String scenario : scenarios) {
        all.add(verdict(report, scenario, goal));
      }
    }
    return all;
  }

  private static String target(String scenario, Goal goal) {
    return f(
        "%sactors open-loop p99 ≤ %.0f ms at %d%% of its peak",
        scenario.isEmpty() ? "" : scenario + ": ", goal.p99MillisMax(), goal.percentOfPeak());
  }

  private static Targets.Verdict verdict(Report report, String scenario, Goal goal) {
    String target = target(scenario, goal);
    OpenLoopResult o =
        report.open.stream()
            .filter(
                r ->
                    r.scenario().equals(scenario)
                        && r.engine().equals("actors")
                        && Integer.valueOf(goal.percentOfPeak()).equals(r.percentOfPeak()))
            .findFirst()
            .orElse(null);
    if (o == null) {
      return new Targets.Verdict(target, "not measured", null, null, "actors' curve did not run");
    }
    RunResult.Percentiles p = o.run().latencyMs();
    String measured =
        f(
            "p99 %.2f ms at %,d req/s offered (%,.0f achieved; peak %,.0f)",
            p.p99(), o.offeredRate(), o.achievedRate(), o.peakRate());
    String evidence =
        f(
            "p50 %.2f ms, p90 %.2f ms, p99.9 %.2f ms, max %.1f ms; %d late, %d unsent, %d errors,"
                + " %d timeouts of %d connections; %s",
            p.p50(),
            p.p90(),
            p.p999(),
            p.max(),
            o.late(),
            o.unsent(),
            o.run().errors(),
            o.run().timeouts(),
            o.connections(),
            cpu(o.run().cpu()));
    String notUnder = conditions(report, o);
    if (notUnder != null) {
      return new Targets.Verdict(
          target, measured, null, null, "not under its conditions: " + notUnder);
    }
    if (!o.clean()) {
      return new Targets.Verdict(
          target,
          measured,
          false,
          null,
          "the offered load was not served cleanly (unsent, errors, timeouts or a broken"
              + " invariant); "
              + evidence);
    }
    double over = p.p99() / goal.p99MillisMax();
    return new Targets.Verdict(target, measured, over <= 1, over > 1 ? over : null, evidence);
  }

  private static String cpu(RunResult.Cpu cpu) {
    return cpu.server() < 0 || cpu.machine() < 0
        ? "CPU not measured"
        : f("CPU: service %.0f%%, machine %.0f%%", cpu.server() * 100, cpu.machine() * 100);
  }

  private static String conditions(Report report, OpenLoopResult o) {
    if (report.options.quick()) {
      return "a --quick run";
    }
    if (o.run().clients() != Targets.targetClients) {
      return f("run with %d connections, not %d", o.run().clients(), Targets.targetClients);
    }
    return null;
  }
}
