package io.leadcredits.client;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the client tries a call again: on a 503 whose code says nothing was done or the outcome is
 * unknown, and, for calls that are idempotent, when the connection failed. It waits what the
 * service's Retry-After says, or else a jittered exponential backoff, within a budget of attempts
 * and of time: past either, the last failure is thrown.
 */
public record RetryPolicy(
    int maxAttempts, Duration budget, Duration firstBackoff, Duration maxBackoff) {
  /** 503 codes after which the same request may be sent again. */
  static final Set<String> retriedCodes = Set.of("OVERLOADED", "OUTCOME_UNKNOWN", "NOT_READY");

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofSeconds(2));

  /** Every call is tried once. */
  public static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (budget.isNegative() || firstBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  static boolean retried(ProblemException problem) {
    return problem.status() == 503 && retriedCodes.contains(problem.code());
  }

  /** The wait before attempt {@code attempt + 1} (attempts count from 1). */
  Duration backoff(int attempt, Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter;
    }
    long cap =
        Math.min(maxBackoff.toMillis(), firstBackoff.toMillis() << Math.min(attempt - 1, 20));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
  }
}
