package io.leadcredits.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients saw during the measured window: counts per outcome and the latency of every
 * answered request. Requests answered during the warm-up are not counted ({@link #measuring} is
 * off), though their effects are still checked afterwards.
 */
final class RunStats {
  /** Kept so a run with errors says what they were; more would only repeat. */
  private static final int errorSamplesMax = 5;

  private final LongAdder[] outcomes = new LongAdder[Outcome.values().length];
  private final Latencies latencies = new Latencies();
  private final List<String> errorSamples = new ArrayList<>();
  private volatile boolean measuring;

  /** The soak's current interval; null unless a soak runs, so other runs pay nothing for it. */
  private volatile Interval interval;

  RunStats() {
    for (int i = 0; i < outcomes.length; i++) {
      outcomes[i] = new LongAdder();
    }
  }

  void measuring(boolean on) {
    measuring = on;
  }

  void record(Outcome outcome, long latencyNanos) {
    if (!measuring) {
      return;
    }
    outcomes[outcome.ordinal()].increment();
    latencies.record(latencyNanos / 1_000);
    Interval current = interval;
    if (current != null) {
      current.record(latencyNanos / 1_000);
    }
  }

  /** Starts counting the requests of an interval apart, as well as of the whole window. */
  void startInterval() {
    interval = new Interval(System.nanoTime());
  }

  /**
   * Ends the current interval, starts the next and returns what the clients saw in the one ended. A
   * request recorded while the intervals change may land in the ended one after it was read: at
   * most one per client, out of the thousands an interval holds.
   */
  IntervalStats endInterval() {
    long now = System.nanoTime();
    Interval ended = interval;
    if (ended == null) {
      throw new IllegalStateException("no interval was started");
    }
    interval = new Interval(now);
    return new IntervalStats(
        ended.requests.sum(),
        (now - ended.startNanos) / 1e9,
        RunResult.Percentiles.of(ended.latencies).p99());
  }

  /** The requests answered in one interval, its length and its p99 latency. */
  record IntervalStats(long requests, double seconds, double p99Ms) {
    double throughputPerSecond() {
      return seconds == 0 ? 0 : requests / seconds;
    }
  }

  void sampleError(String what) {
    synchronized (errorSamples) {
      if (errorSamples.size() < errorSamplesMax) {
        errorSamples.add(what);
      }
    }
  }

  long count(Outcome outcome) {
    return outcomes[outcome.ordinal()].sum();
  }

  long requests() {
    long n = 0;
    for (LongAdder a : outcomes) {
      n += a.sum();
    }
    return n;
  }

  Latencies latencies() {
    return latencies;
  }

  /** Requests answered (any outcome) and their latencies, from one moment on. */
  private static final class Interval {
    private final long startNanos;
    private final LongAdder requests = new LongAdder();
    private final Latencies latencies = new Latencies();

    Interval(long startNanos) {
      this.startNanos = startNanos;
    }

    void record(long latencyMicros) {
      requests.increment();
      latencies.record(latencyMicros);
    }
  }

  List<String> errorSamples() {
    synchronized (errorSamples) {
      return List.copyOf(errorSamples);
    }
  }
}
