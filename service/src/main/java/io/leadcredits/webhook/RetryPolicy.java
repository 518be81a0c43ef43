package io.leadcredits.webhook;

import io.leadcredits.WebhookSettings;
import io.leadcredits.sink.DeliveryResult;
import java.time.Duration;
import java.time.Instant;

/**
 * What an attempt's answer means for its delivery, decided from the answer, the attempts so far,
 * the time and the settings alone: a 2xx is delivered; a 410 ends it and disables the endpoint;
 * anything else is tried again after an exponential backoff with jitter (the receiver's {@code
 * Retry-After} instead, when it sent one), unless that would be past the give-up age.
 */
public final class RetryPolicy {
  /** The status of an attempt that got no answer: refused, reset, timed out. */
  public static final int NO_ANSWER = -1;

  private final WebhookSettings settings;

  public RetryPolicy(WebhookSettings settings) {
    this.settings = settings;
  }

  /** What to do: the result, and when to try next for {@link DeliveryResult#RETRYING}. */
  public record Decision(DeliveryResult result, Instant nextAttemptAt) {}

  /**
   * @param status the answer's status, or {@link #NO_ANSWER}
   * @param retryAfter the answer's {@code Retry-After}, or null
   * @param attemptsBefore attempts made before this one
   * @param jitter a random number in [0, 1): spreads the retries of many deliveries apart
   */
  public Decision decide(
      int status,
      Duration retryAfter,
      int attemptsBefore,
      Instant dispatchedAt,
      Instant now,
      double jitter) {
    if (status >= 200 && status < 300) {
      return new Decision(DeliveryResult.DELIVERED, null);
    }
    if (status == 410) {
      return new Decision(DeliveryResult.GONE, null);
    }
    Duration delay = retryAfter != null ? retryAfter : backoff(attemptsBefore + 1, jitter);
    Instant next = now.plus(delay);
    if (next.isAfter(dispatchedAt.plus(settings.giveUpAfter()))) {
      return new Decision(DeliveryResult.GIVEN_UP, null);
    }
    return new Decision(DeliveryResult.RETRYING, next);
  }

  /**
   * The wait after the {@code failed}-th failed attempt: retry-initial doubled each time, at most
   * retry-max, then scaled by between a half and the whole of it.
   */
  Duration backoff(int failed, double jitter) {
    Duration full = settings.retryInitial();
    for (int i = 1; i < failed && full.compareTo(settings.retryMax()) < 0; i++) {
      full = full.multipliedBy(2);
    }
    if (full.compareTo(settings.retryMax()) > 0) {
      full = settings.retryMax();
    }
    return Duration.ofMillis((long) (full.toMillis() * (0.5 + 0.5 * jitter)));
  }

  /**
   * The wait a {@code Retry-After} header asks for (seconds, or an HTTP date), or null when there
   * is none or it is not one; never negative.
   */
  public static Duration retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    try {
      long seconds = Long.parseLong(value);
      return Duration.ofSeconds(Math.max(0, Math.min(seconds, Duration.ofDays(365).toSeconds())));
    } catch (NumberFormatException e) {
      try {
        Instant at =
            java.time.ZonedDateTime.parse(
                    value, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant();
        Duration d = Duration.between(now, at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (java.time.format.DateTimeParseException x) {
        return null;
      }
    }
  }
}
