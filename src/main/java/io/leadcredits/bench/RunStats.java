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

  List<String> errorSamples() {
    synchronized (errorSamples) {
      return List.copyOf(errorSamples);
    }
  }
}
