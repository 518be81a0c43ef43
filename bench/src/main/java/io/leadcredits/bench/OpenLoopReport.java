package io.leadcredits.bench;

import static io.leadcredits.bench.ReportMarkdown.f;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The open-loop runs in the reports: their entries of report.json and their section of report.md.
 */
final class OpenLoopReport {
  /** Written next to report.json when there are open-loop runs, linked from report.md. */
  static final String svgFile = "curve.svg";

  private OpenLoopReport() {}

  /** One entry of report.json's {@code results}: a closed-loop entry's fields and the open ones. */
  static ObjectNode json(ObjectMapper mapper, OpenLoopResult o) {
    ObjectNode n = Report.result(mapper, o.run());
    n.put("mode", "open");
    n.put("offeredRate", o.offeredRate());
    n.put("achievedRate", Report.round(o.achievedRate(), 1));
    if (o.percentOfPeak() != null) {
      n.put("percentOfPeak", o.percentOfPeak());
      n.put("peakRate", Report.round(o.peakRate(), 1));
    }
    n.put("connections", o.connections());
    n.put("sent", o.sent());
    n.put("late", o.late());
    n.put("unsent", o.unsent());
    n.put("maxSendDelayMs", Report.round(o.maxSendDelayMs(), 2));
    n.put("clean", o.clean());
    return n;
  }

  /** The section of report.md: the figure, then a table per scenario. */
  static void markdown(StringBuilder md, List<OpenLoopResult> open, List<String> scenarios) {
    if (open.isEmpty()) {
      return;
    }
    md.append("## Open-loop latency\n\n");
    md.append(
        "Requests went out on a fixed schedule at the offered rate whether or not earlier ones"
            + " were answered; each latency runs from the time its request was due (HdrHistogram,"
            + " no coordinated omission). In flight at most one request per connection; *late*"
            + " requests waited for a free connection (their wait is in their latency), *unsent*"
            + " ones were due in the window but never went out. Achieved is answers arriving in the"
            + " window a second.\n\n");
    md.append(f("![latency against offered load](%s) ([%s](%s))%n%n", svgFile, svgFile, svgFile));
    for (String scenario : scenarios) {
      List<OpenLoopResult> rs = open.stream().filter(o -> o.scenario().equals(scenario)).toList();
      if (rs.isEmpty()) {
        continue;
      }
      md.append("### ").append(scenario).append(" (open loop)\n\n");
      md.append(
          "| engine | % of peak | offered req/s | achieved req/s | p50 ms | p90 ms | p99 ms |"
              + " p99.9 ms | max ms | late | unsent | errors | timeouts | invariants |"
              + " cpu server / machine |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
      for (OpenLoopResult o : rs) {
        RunResult r = o.run();
        RunResult.Percentiles p = r.latencyMs();
        md.append(
            f(
                "| %s | %s | %,d | %,.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %d | %d | %d | %d |"
                    + " %s | %s |%n",
                r.engine(),
                o.percentOfPeak() == null
                    ? "–"
                    : f("%d%% of %,.0f", o.percentOfPeak(), o.peakRate()),
                o.offeredRate(),
                o.achievedRate(),
                p.p50(),
                p.p90(),
                p.p99(),
                p.p999(),
                p.max(),
                o.late(),
                o.unsent(),
                r.errors(),
                r.timeouts(),
                r.invariantsHold() ? "hold" : "**violated**",
                r.cpu().server() < 0
                    ? "–"
                    : f("%.0f%% / %.0f%%", r.cpu().server() * 100, r.cpu().machine() * 100)));
      }
      md.append('\n');
      for (OpenLoopResult o : rs) {
        if (!o.run().errorSamples().isEmpty()) {
          md.append(
              f(
                  "- %s at %,d req/s error samples: %s%n",
                  o.engine(), o.offeredRate(), o.run().errorSamples()));
        }
      }
    }
    md.append('\n');
  }
}
