package io.leadcredits.bench;

import java.util.List;

/**
 * One run of one scenario on one engine: what the clients measured and what the checks found;
 * {@code repeat} is which of the scenario × engine's runs it was (1…N). Its clients are closed-loop
 * (each sends when its last request was answered) unless an {@link OpenLoopResult} carries it.
 */
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
    Journal journal,
    Sinks sinks,
    int repeat) {

  /** The same run as the {@code n}-th of its scenario × engine. */
  RunResult withRepeat(int n) {
    return new RunResult(
        scenario,
        engine,
        seed,
        clients,
        durationSeconds,
        requests,
        accepted,
        rejected,
        errors,
        timeouts,
        latencyMs,
        invariantsHold,
        cpu,
        checks,
        errorSamples,
        journal,
        sinks,
        n);
  }

  /**
   * Whether the run can stand in a ratio or a target: no failed or unanswered request, every
   * invariant held.
   */
  boolean clean() {
    return errors == 0 && timeouts == 0 && invariantsHold;
  }

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

  /**
   * A run with both sinks on (null for the others): the feed's events at the end, the sinks' lag
   * p99 over the measured window (the service's {@code leadcredits_event_sink_lag_seconds} sampled;
   * for webhooks also measured at the receivers, event time to first request, over the events of
   * the window), what never arrived, what arrived twice, and how long after the load the last event
   * took to arrive everywhere. Lags are NaN when nothing was sampled.
   */
  record Sinks(
      long events,
      int receivers,
      double kafkaLagP99Seconds,
      double webhooksLagP99Seconds,
      double webhookDeliveryP99Seconds,
      long missingKafka,
      long missingWebhooks,
      long kafkaCopiesAgain,
      long webhookCopiesAgain,
      double drainSeconds,
      List<String> missing) {

    public Sinks {
      missing = List.copyOf(missing);
    }

    /** Every event of the feed reached Kafka and each receiver. */
    boolean allDelivered() {
      return missingKafka == 0 && missingWebhooks == 0;
    }
  }

  /** The actor engine's journal during the window (null for the baselines). */
  record Journal(long events, long commits, double eventsPerSecond, double eventsPerCommit) {}
}
