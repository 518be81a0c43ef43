package io.leadcredits.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.svg, written by hand: per scenario, a panel with one throughput bar per engine (left axis)
 * and its p50 and p99 latency as marks on a log scale (right axis).
 */
final class ReportSvg {
  private static final int panelWidth = 300;
  private static final int panelHeight = 260;
  private static final int top = 50;
  private static final int plotHeight = 160;
  private static final Map<String, String> colours =
      Map.of("actors", "#2b6cb0", "locks", "#c05621", "sql", "#2f855a");

  private ReportSvg() {}

  static String of(List<RunResult> results) {
    Map<String, List<RunResult>> byScenario = new LinkedHashMap<>();
    for (RunResult r : results) {
      byScenario.computeIfAbsent(r.scenario(), s -> new ArrayList<>()).add(r);
    }
    int width = Math.max(1, byScenario.size()) * panelWidth + 20;
    StringBuilder svg = new StringBuilder();
    svg.append(
        f(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n",
            width, panelHeight + 30));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(
        "<text x=\"10\" y=\"18\" font-size=\"14\">Throughput (bars, req/s) and latency p50 ○ /"
            + " p99 ● (ms, log scale, right)</text>\n");
    int x = 10;
    for (Map.Entry<String, List<RunResult>> e : byScenario.entrySet()) {
      panel(svg, x, e.getKey(), e.getValue());
      x += panelWidth;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void panel(StringBuilder svg, int x0, String scenario, List<RunResult> runs) {
    double maxRps = runs.stream().mapToDouble(RunResult::throughputPerSecond).max().orElse(1);
    maxRps = Math.max(maxRps, 1);
    int baseY = top + plotHeight;
    svg.append(
        f("<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>%n", x0 + 40, top - 15, scenario));
    svg.append(
        f(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n",
            x0 + 40, baseY, x0 + 260, baseY));
    svg.append(
        f("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%,.0f</text>%n", x0 + 38, top + 4, maxRps));
    svg.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n", x0 + 38, baseY));
    for (int ms : new int[] {1, 10, 100, 1000}) {
      int y = latencyY(ms);
      svg.append(
          f(
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>%n",
              x0 + 40, y, x0 + 260, y));
      svg.append(f("<text x=\"%d\" y=\"%d\" fill=\"#666\">%d ms</text>%n", x0 + 262, y + 4, ms));
    }
    int slot = 220 / Math.max(1, runs.size());
    for (int i = 0; i < runs.size(); i++) {
      RunResult r = runs.get(i);
      int bx = x0 + 40 + i * slot + slot / 6;
      int bw = slot * 2 / 3;
      int h = (int) Math.round(r.throughputPerSecond() / maxRps * plotHeight);
      String colour = colours.getOrDefault(r.engine(), "#718096");
      svg.append(
          f(
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" opacity=\"0.75\"/>%n",
              bx, baseY - h, bw, h, colour));
      svg.append(
          f(
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%,.0f</text>%n",
              bx + bw / 2, baseY - h - 3, r.throughputPerSecond()));
      svg.append(
          f(
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
              bx + bw / 2, baseY + 14, r.engine()));
      int cx = bx + bw / 2;
      svg.append(
          f(
              "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"white\" stroke=\"black\"/>%n",
              cx, latencyY(r.latencyMs().p50())));
      svg.append(
          f(
              "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"black\"/>%n",
              cx, latencyY(r.latencyMs().p99())));
      svg.append(
          f(
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">p99 %.1f ms</text>%n",
              cx, baseY + 28, r.latencyMs().p99()));
    }
  }

  /** 0.1 ms at the bottom, 10 s at the top, logarithmic. */
  private static int latencyY(double ms) {
    double clamped = Math.min(10_000, Math.max(0.1, ms));
    double fraction = (Math.log10(clamped) + 1) / 5;
    return (int) Math.round(top + plotHeight - fraction * plotHeight);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
