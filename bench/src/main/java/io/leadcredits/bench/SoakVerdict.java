package io.leadcredits.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Whether a soak held steady: the heap after GC of its last minutes within 10% of what it was in
 * minutes 5 to 10, and its rate at least 90% of it. Each window is judged by its median, not its
 * maximum, so one minute with a slow stretch of the machine or a heap sampled while a large batch
 * was in flight does not decide alone; a leak or a slowdown moves every minute of the late window,
 * and so its median. Minutes 1 to 4 are left out: caches, the JIT and the hot account's remembered
 * transactions are still filling. A heap that shrank, or a rate that rose, holds.
 *
 * <p>{@code ok} is null when the soak was too short to judge ({@code summary} says so), or when a
 * window has no value of one quantity (e.g. no heap after GC: then {@code heap} is null) and the
 * other holds; a quantity that does not hold makes it false either way.
 */
record SoakVerdict(Boolean ok, String summary, Check heap, Check rate) {
  /** The early window: minutes 5 to 10, once the first minutes' warming is over. */
  static final int earlyFirstMinute = 5;

  static final int earlyLastMinute = 10;

  /** The late window: the last 5 minutes. */
  static final int lateMinutes = 5;

  /** The windows do not overlap from this many minutes on. */
  static final int minutesMin = earlyLastMinute + lateMinutes;

  /** Heap after GC may grow by at most this share from the early window to the late one. */
  static final double heapGrowthMax = 0.10;

  /** The rate may drop by at most this share from the early window to the late one. */
  static final double rateDropMax = 0.10;

  static final String tooShort = "not measured (needs " + minutesMin + " minutes)";

  /** One quantity's median in each window, their ratio (late / early) and whether it holds. */
  record Check(double earlyMedian, double lateMedian, double ratio, boolean ok) {}

  static SoakVerdict of(List<SoakSample> minutes) {
    if (minutes.size() < minutesMin) {
      return new SoakVerdict(null, tooShort, null, null);
    }
    List<SoakSample> early = minutes.subList(earlyFirstMinute - 1, earlyLastMinute);
    List<SoakSample> late = minutes.subList(minutes.size() - lateMinutes, minutes.size());
    Check heap = check(early, late, s -> toDouble(s.heapAfterGcBytes()), false);
    Check rate = check(early, late, SoakSample::throughputPerSecond, true);
    Boolean ok;
    if ((heap != null && !heap.ok()) || (rate != null && !rate.ok())) {
      ok = false;
    } else {
      ok = heap == null || rate == null ? null : true;
    }
    String summary =
        f(
            "%s: heap after GC %s, rate %s; medians of the last %d minutes against minutes %d–%d",
            ok == null ? "partly measured" : ok ? "steady" : "NOT steady",
            describe(heap, "at most", 1 + heapGrowthMax, "over", "grows"),
            describe(rate, "at least", 1 - rateDropMax, "under", "drops"),
            lateMinutes,
            earlyFirstMinute,
            earlyLastMinute);
    return new SoakVerdict(ok, summary, heap, rate);
  }

  /** {@code 1.02× (at most 1.10×)}, {@code 1.35× (over 1.10×: grows)} or {@code not measured}. */
  private static String describe(
      Check check, String holds, double limit, String fails, String failure) {
    if (check == null) {
      return "not measured";
    }
    return check.ok()
        ? f("%.2f× (%s %.2f×)", check.ratio(), holds, limit)
        : f("%.2f× (%s %.2f×: %s)", check.ratio(), fails, limit, failure);
  }

  /**
   * The check of one quantity, or null when a window has no value of it. A rising quantity (heap)
   * holds up to {@link #heapGrowthMax} above the early median; a falling one (rate) down to {@link
   * #rateDropMax} below it.
   */
  private static Check check(
      List<SoakSample> early,
      List<SoakSample> late,
      Function<SoakSample, Double> value,
      boolean higherIsBetter) {
    Double e = median(early, value);
    Double l = median(late, value);
    if (e == null || l == null || e <= 0) {
      return null;
    }
    double ratio = l / e;
    boolean ok = higherIsBetter ? ratio >= 1 - rateDropMax : ratio <= 1 + heapGrowthMax;
    return new Check(e, l, ratio, ok);
  }

  /** The median of the values present, or null when none is. */
  static Double median(List<SoakSample> window, Function<SoakSample, Double> value) {
    List<Double> values = new ArrayList<>();
    for (SoakSample s : window) {
      Double v = value.apply(s);
      if (v != null) {
        values.add(v);
      }
    }
    if (values.isEmpty()) {
      return null;
    }
    values.sort(null);
    int n = values.size();
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
  }

  private static Double toDouble(Long v) {
    return v == null ? null : v.doubleValue();
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
