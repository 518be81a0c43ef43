package io.leadcredits.bench;

import java.time.Duration;
import java.util.List;

/**
 * Open-loop load instead of, or after, the closed-loop runs: with {@code rate} (null: none) every
 * scenario and engine is driven at that many requests a second instead of by closed-loop clients;
 * with {@code curve} each engine's closed-loop run is followed, on a fresh service, by open-loop
 * points at {@link #curvePercents} of the peak that run measured. Both use the closed-loop options'
 * client count as the number of connections, so as the bound on requests in flight.
 */
record OpenLoopOptions(Long rate, boolean curve) {
  /** The points of a curve, in percent of the engine's closed-loop peak, run in this order. */
  static final List<Integer> curvePercents = List.of(10, 25, 50, 75, 90, 100, 110);

  /** The point every curve is warmed up at: load enough for the JIT, with no backlog building. */
  static final int warmupPercent = 50;

  /** The longest unmeasured run-in of each point after the first: the previous point warmed up. */
  static final Duration settleMax = Duration.ofSeconds(5);

  OpenLoopOptions {
    if (rate != null && curve) {
      throw new IllegalArgumentException("--rate and --curve exclude each other: give one of them");
    }
    if (rate == null && !curve) {
      throw new IllegalArgumentException("open-loop load needs --rate or --curve");
    }
    if (rate != null && (rate < 1 || rate > ArrivalSchedule.rateMax)) {
      throw new IllegalArgumentException("--rate must be 1.." + ArrivalSchedule.rateMax);
    }
  }

  /** The offered rate of a point at {@code percent} of {@code peak} requests a second. */
  static long rateAt(double peak, int percent) {
    return Math.max(1, Math.min(ArrivalSchedule.rateMax, Math.round(peak * percent / 100.0)));
  }
}
