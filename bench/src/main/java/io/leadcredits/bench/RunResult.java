package io.leadcredits.bench;

import java.util.List;

/** One scenario on one engine: what the clients measured and what the checks found. */
record RunResult(
    String scenario,
    String engine,
    long seed,
    int clients,
    double durationSeconds,
    long requests,
    long accepted,
    long rejected,
    long errors,
    long timeouts,
    Percentiles latencyMs,
    boolean invariantsHold,
    Cpu cpu,
    ClientChecks.Verdict checks,
    List<String> errorSamples,
    Journal journal) {

  double throughputPerSecond() {
    return durationSeconds == 0 ? 0 : requests / durationSeconds;
  }

  /** Latency percentiles in milliseconds. */
  record Percentiles(double p50, double p90, double p99, double p999, double max) {
    static Percentiles of(Latencies l) {
      return new Percentiles(
          ms(l.quantileMicros(0.50)),
          ms(l.quantileMicros(0.90)),
          ms(l.quantileMicros(0.99)),
          ms(l.quantileMicros(0.999)),
          ms(l.maxMicros()));
    }

    private static double ms(long micros) {
      return Math.round(micros / 10.0) / 100.0;
    }
  }

  /** Shares of all cores over the measured window; -1 where unknown. */
  record Cpu(double generator, double server, double machine) {}

  /** The actor engine's journal during the window (null for the baselines). */
  record Journal(long events, long commits, double eventsPerSecond, double eventsPerCommit) {}
}
