package io.leadcredits.bench;

/**
 * A fixed arrival schedule: request {@code i} is due at {@code start + i / rate} seconds, whatever
 * became of the requests before it. Each time is computed from the start in exact integer
 * nanoseconds rather than by adding an interval to the previous one, so a rate that does not divide
 * a second (7/s) does not drift: request {@code 7k} is due exactly {@code k} seconds after the
 * start, however long the run.
 */
record ArrivalSchedule(long startNanos, long ratePerSecond) {
  private static final long nanosPerSecond = 1_000_000_000L;

  /** A million requests a second: far above what one machine's engine serves. */
  static final long rateMax = 1_000_000;

  ArrivalSchedule {
    if (ratePerSecond < 1 || ratePerSecond > rateMax) {
      throw new IllegalArgumentException("a rate must be 1.." + rateMax + " requests a second");
    }
  }

  /** When request {@code index} (from 0) is due, on the {@link System#nanoTime()} clock. */
  long intendedNanos(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("index " + index);
    }
    return startNanos + Math.multiplyExact(index, nanosPerSecond) / ratePerSecond;
  }

  /** The first request due at or after {@code nanos}: requests before it are due earlier. */
  long firstIndexAtOrAfter(long nanos) {
    long since = nanos - startNanos;
    if (since <= 0) {
      return 0;
    }
    // ceil(since * rate / 1e9) is the smallest i with i * 1e9 / rate >= since (integer division):
    // i * 1e9 / rate >= since  <=>  i * 1e9 >= since * rate  (both sides whole nanoseconds).
    long scaled = Math.multiplyExact(since, ratePerSecond);
    return (scaled + nanosPerSecond - 1) / nanosPerSecond;
  }
}
