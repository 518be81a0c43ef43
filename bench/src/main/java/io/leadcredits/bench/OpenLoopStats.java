package io.leadcredits.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What one open-loop window saw. Only requests due inside the window count, each with its latency
 * from the time it was due (not from when a connection was free to send it), so a stall shows in
 * every request that should have gone out during it, as it would for a marketplace's real callers.
 * Requests due in the window that the driver could not send on time (every connection busy) are
 * counted as {@code late}; those it never sent before the window closed as {@code unsent}: neither
 * is left out silently.
 */
final class OpenLoopStats {
  private static final int errorSamplesMax = 5;

  /** Microseconds, 3 significant digits (0.1% error), resized as larger values arrive. */
  private final Histogram latencies = new ConcurrentHistogram(3);

  private final LongAdder[] outcomes = new LongAdder[Outcome.values().length];
  private final LongAdder sent = new LongAdder();
  private final LongAdder late = new LongAdder();
  private final LongAdder answeredInWindow = new LongAdder();
  private final AtomicLong maxSendDelayNanos = new AtomicLong();
  private final List<String> errorSamples = new ArrayList<>();
  private volatile long unsent;

  OpenLoopStats() {
    for (int i = 0; i < outcomes.length; i++) {
      outcomes[i] = new LongAdder();
    }
  }

  /**
   * A request due in the window went out {@code delayNanos} after it was due; {@code waited} when
   * it had to wait for a connection to come free.
   */
  void sent(long delayNanos, boolean waited) {
    sent.increment();
    if (waited) {
      late.increment();
    }
    maxSendDelayNanos.accumulateAndGet(delayNanos, Math::max);
  }

  /** The answer to a request due in the window, {@code latencyNanos} after it was due. */
  void answered(Outcome outcome, long latencyNanos) {
    outcomes[outcome.ordinal()].increment();
    latencies.recordValue(Math.max(0, latencyNanos / 1_000));
  }

  /** An answer arrived while the window was open (whenever its request was due). */
  void answeredDuringWindow() {
    answeredInWindow.increment();
  }

  void unsent(long count) {
    unsent = count;
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

  /** Answers to requests due in the window, of any outcome. */
  long answered() {
    long n = 0;
    for (LongAdder a : outcomes) {
      n += a.sum();
    }
    return n;
  }

  long sent() {
    return sent.sum();
  }

  long late() {
    return late.sum();
  }

  long unsent() {
    return unsent;
  }

  long answeredInWindow() {
    return answeredInWindow.sum();
  }

  double maxSendDelayMs() {
    return maxSendDelayNanos.get() / 1e6;
  }

  /** A copy of the latencies, in microseconds from the time each request was due. */
  Histogram latencies() {
    return latencies.copy();
  }

  /** The percentiles in milliseconds, as the closed-loop runs report theirs. */
  RunResult.Percentiles percentiles() {
    Histogram h = latencies();
    if (h.getTotalCount() == 0) {
      return new RunResult.Percentiles(0, 0, 0, 0, 0);
    }
    return new RunResult.Percentiles(
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()));
  }

  List<String> errorSamples() {
    synchronized (errorSamples) {
      return List.copyOf(errorSamples);
    }
  }

  private static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }
}
