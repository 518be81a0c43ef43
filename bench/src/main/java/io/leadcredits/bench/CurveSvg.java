package io.leadcredits.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * curve.svg, written by hand and self-contained: per scenario a panel of open-loop latency against
 * offered load, both on log scales (the engines' peaks lie an order of magnitude apart). Each
 * engine is one series ({@code <g class="series" data-engine="...">}) in its colour, holding a line
 * per percentile (p50, p90, p99, p99.9, max; dashed differently) through its points and, on a
 * curve, an upright at the closed-loop peak its percentages are of. The goals' 10 and 50 ms are
 * drawn across, and a point whose requests were not all sent or answered is drawn hollow.
 */
final class CurveSvg {
  private static final int panelWidth = 520;
  private static final int panelHeight = 330;
  private static final int left = 60;
  private static final int plotWidth = 340;
  private static final int top = 60;
  private static final int plotHeight = 220;
  private static final double latencyMinMs = 0.1;
  private static final double latencyMaxMs = 10_000;
  private static final Map<String, String> colours =
      Map.of("actors", "#2b6cb0", "locks", "#c05621", "sql", "#2f855a");

  private record Line(String name, String dash, ToDoubleFunction<RunResult.Percentiles> value) {}

  private static final List<Line> lines =
      List.of(
          new Line("p50", "2,3", RunResult.Percentiles::p50),
          new Line("p90", "6,3", RunResult.Percentiles::p90),
          new Line("p99", "", RunResult.Percentiles::p99),
          new Line("p99.9", "10,3,2,3", RunResult.Percentiles::p999),
          new Line("max", "1,6", RunResult.Percentiles::max));

  private CurveSvg() {}

  static String of(List<OpenLoopResult> results) {
    Map<String, Map<String, List<OpenLoopResult>>> panels = new LinkedHashMap<>();
    for (OpenLoopResult r : results) {
      panels
          .computeIfAbsent(r.scenario(), s -> new LinkedHashMap<>())
          .computeIfAbsent(r.engine(), e -> new ArrayList<>())
          .add(r);
    }
    // Wide enough for the title and the legend above the panels even with one panel.
    int width = Math.max(800, Math.max(1, panels.size()) * panelWidth + 20);
    StringBuilder svg = new StringBuilder();
    svg.append(
        f(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n",
            width, panelHeight + 40));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(
        "<text x=\"10\" y=\"18\" font-size=\"14\">Open-loop latency (ms, from each request's"
            + " intended send time) against offered load (req/s), both log scales</text>\n");
    legend(svg);
    int x = 10;
    for (Map.Entry<String, Map<String, List<OpenLoopResult>>> e : panels.entrySet()) {
      panel(svg, x, e.getKey(), e.getValue());
      x += panelWidth;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void legend(StringBuilder svg) {
    int x = 10;
    for (Line l : lines) {
      svg.append(
          f(
              "<line x1=\"%d\" y1=\"34\" x2=\"%d\" y2=\"34\" stroke=\"#333\" stroke-width=\"2\"%s/>%n",
              x, x + 24, dash(l)));
      svg.append(f("<text x=\"%d\" y=\"38\">%s</text>%n", x + 28, l.name()));
      x += 70;
    }
    svg.append(
        f(
            "<text x=\"%d\" y=\"38\" fill=\"#666\">hollow: not every request due was sent and"
                + " answered cleanly</text>%n",
            x));
  }

  private static void panel(
      StringBuilder svg, int x0, String scenario, Map<String, List<OpenLoopResult>> byEngine) {
    double rateMin = Double.MAX_VALUE;
    double rateMax = 1;
    for (List<OpenLoopResult> rs : byEngine.values()) {
      for (OpenLoopResult r : rs) {
        rateMin = Math.min(rateMin, r.offeredRate());
        rateMax = Math.max(rateMax, r.offeredRate());
      }
    }
    // Whole powers of ten around the rates, at least one decade wide.
    double lo = Math.pow(10, Math.floor(Math.log10(Math.max(1, rateMin))));
    double hi = Math.pow(10, Math.ceil(Math.log10(rateMax)));
    if (hi <= lo) {
      hi = lo * 10;
    }
    Axes axes = new Axes(x0 + left, lo, hi);
    svg.append(
        f(
            "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>%n",
            axes.x0, top - 8, escape(scenario)));
    svg.append(
        f(
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
            axes.x0, top, plotWidth, plotHeight));
    for (double ms = latencyMinMs; ms <= latencyMaxMs; ms *= 10) {
      int y = latencyY(ms);
      svg.append(
          f(
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>%n",
              axes.x0, y, axes.x0 + plotWidth, y));
      svg.append(
          f(
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#666\">%s ms</text>%n",
              axes.x0 - 4, y + 4, number(ms)));
    }
    for (int goal : new int[] {10, 50}) {
      int y = latencyY(goal);
      svg.append(
          f(
              "<line class=\"goal\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#e53e3e\""
                  + " stroke-dasharray=\"4,4\"/>%n",
              axes.x0, y, axes.x0 + plotWidth, y));
      svg.append(
          f(
              "<text x=\"%d\" y=\"%d\" fill=\"#e53e3e\">p99 goal %d ms</text>%n",
              axes.x0 + plotWidth + 4, y + 4, goal));
    }
    for (double rate = lo; rate <= hi * 1.0001; rate *= 10) {
      int x = axes.x(rate);
      svg.append(
          f(
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>%n",
              x, top, x, top + plotHeight));
      svg.append(
          f(
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\">%s</text>%n",
              x, top + plotHeight + 14, number(rate)));
    }
    svg.append(
        f(
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">offered req/s</text>%n",
            axes.x0 + plotWidth / 2, top + plotHeight + 30));
    int legendY = top + plotHeight + 46;
    int legendX = axes.x0;
    for (Map.Entry<String, List<OpenLoopResult>> e : byEngine.entrySet()) {
      String colour = colours.getOrDefault(e.getKey(), "#718096");
      series(svg, axes, e.getKey(), colour, e.getValue());
      svg.append(
          f(
              "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>%n",
              legendX, legendY - 9, colour));
      svg.append(
          f("<text x=\"%d\" y=\"%d\">%s</text>%n", legendX + 14, legendY, escape(e.getKey())));
      legendX += 90;
    }
  }

  private static void series(
      StringBuilder svg, Axes axes, String engine, String colour, List<OpenLoopResult> points) {
    List<OpenLoopResult> sorted = new ArrayList<>(points);
    sorted.sort((a, b) -> Long.compare(a.offeredRate(), b.offeredRate()));
    svg.append(f("<g class=\"series\" data-engine=\"%s\">%n", escape(engine)));
    Double peak = sorted.get(sorted.size() - 1).peakRate();
    if (peak != null) {
      // The closed-loop peak the curve's percentages are of.
      int x = axes.x(peak);
      svg.append(
          f(
              "<line class=\"peak\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                  + " stroke-dasharray=\"2,2\" opacity=\"0.6\"><title>%s closed-loop peak %,.0f"
                  + " req/s</title></line>%n",
              x, top, x, top + plotHeight, colour, escape(engine), peak));
    }
    for (Line l : lines) {
      StringBuilder path = new StringBuilder();
      for (OpenLoopResult r : sorted) {
        path.append(path.length() == 0 ? "" : " ")
            .append(axes.x(r.offeredRate()))
            .append(',')
            .append(latencyY(l.value().applyAsDouble(r.run().latencyMs())));
      }
      svg.append(
          f(
              "<polyline data-percentile=\"%s\" points=\"%s\" fill=\"none\" stroke=\"%s\""
                  + " stroke-width=\"1.5\"%s/>%n",
              l.name(), path, colour, dash(l)));
      for (OpenLoopResult r : sorted) {
        double ms = l.value().applyAsDouble(r.run().latencyMs());
        svg.append(
            f(
                "<circle cx=\"%d\" cy=\"%d\" r=\"2.5\" fill=\"%s\" stroke=\"%s\"><title>%s %s at"
                    + " %,d req/s%s: %.2f ms</title></circle>%n",
                axes.x(r.offeredRate()),
                latencyY(ms),
                r.clean() ? colour : "white",
                colour,
                escape(engine),
                l.name(),
                r.offeredRate(),
                r.percentOfPeak() == null ? "" : " (" + r.percentOfPeak() + "% of peak)",
                ms));
      }
    }
    svg.append("</g>\n");
  }

  /** The rate axis of one panel: log scale from {@code lo} to {@code hi} req/s. */
  private record Axes(int x0, double lo, double hi) {
    int x(double rate) {
      double fraction =
          (Math.log10(Math.max(lo, rate)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
      return (int) Math.round(x0 + Math.min(1, fraction) * plotWidth);
    }
  }

  /** 0.1 ms at the bottom, 10 s at the top, logarithmic. */
  private static int latencyY(double ms) {
    double clamped = Math.min(latencyMaxMs, Math.max(latencyMinMs, ms));
    double fraction =
        (Math.log10(clamped) - Math.log10(latencyMinMs))
            / (Math.log10(latencyMaxMs) - Math.log10(latencyMinMs));
    return (int) Math.round(top + plotHeight - fraction * plotHeight);
  }

  private static String dash(Line l) {
    return l.dash().isEmpty() ? "" : " stroke-dasharray=\"" + l.dash() + "\"";
  }

  private static String number(double v) {
    if (v < 1) {
      return f("%.1f", v);
    }
    return v >= 1_000 ? f("%,.0f", v) : f("%.0f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
