package io.leadcredits.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.WebhookSettings;
import io.leadcredits.sink.DeliveryResult;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What an attempt's answer means for its delivery, with the shipped retry settings. */
class RetryPolicyTest {
  private static final WebhookSettings shipped =
      new WebhookSettings(
          false, Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofDays(3), 64, 4);
  private static final RetryPolicy policy = new RetryPolicy(shipped);
  private static final Instant dispatched = Instant.parse("2026-12-07T10:00:00Z");

  @Test
  void a2xxIsDeliveredAnd410IsGone() {
    for (int status : new int[] {200, 201, 204, 299}) {
      assertThat(policy.decide(status, null, 0, dispatched, dispatched, 0.5).result())
          .isEqualTo(DeliveryResult.DELIVERED);
    }
    assertThat(policy.decide(410, null, 0, dispatched, dispatched, 0.5).result())
        .isEqualTo(DeliveryResult.GONE);
  }

  @Test
  void everythingElseIsRetriedTheFirstTimeWithinFiveSeconds() {
    for (int status : new int[] {RetryPolicy.NO_ANSWER, 301, 400, 404, 429, 500, 503}) {
      RetryPolicy.Decision d = policy.decide(status, null, 0, dispatched, dispatched, 0.999);
      assertThat(d.result()).as("status %d", status).isEqualTo(DeliveryResult.RETRYING);
      assertThat(Duration.between(dispatched, d.nextAttemptAt()))
          .isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
    }
  }

  @Test
  void theWaitDoublesUpToTheMaximumWithJitterBetweenHalfAndAll() {
    assertThat(policy.backoff(1, 0)).isEqualTo(Duration.ofMillis(2500));
    assertThat(policy.backoff(1, 1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.backoff(2, 1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.backoff(5, 1)).isEqualTo(Duration.ofSeconds(80));
    assertThat(policy.backoff(12, 1)).isEqualTo(Duration.ofHours(1));
    assertThat(policy.backoff(1_000, 0)).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void retryAfterIsHonouredInSecondsOrAsADate() {
    Instant now = dispatched.plusSeconds(60);
    RetryPolicy.Decision d =
        policy.decide(503, RetryPolicy.retryAfter("120", now), 3, dispatched, now, 0);
    assertThat(d.nextAttemptAt()).isEqualTo(now.plusSeconds(120));
    assertThat(RetryPolicy.retryAfter("Mon, 07 Dec 2026 10:05:00 GMT", now))
        .isEqualTo(Duration.ofMinutes(4));
    assertThat(RetryPolicy.retryAfter("Mon, 07 Dec 2026 09:00:00 GMT", now)).isZero();
    assertThat(RetryPolicy.retryAfter("soon", now)).isNull();
    assertThat(RetryPolicy.retryAfter("-5", now)).isZero();
    assertThat(RetryPolicy.retryAfter(null, now)).isNull();
  }

  @Test
  void aRetryThatWouldComeAfterTheGiveUpAgeIsGivenUp() {
    Instant late = dispatched.plus(Duration.ofDays(3)).minusSeconds(10);
    assertThat(policy.decide(500, null, 40, dispatched, late, 0).result())
        .isEqualTo(DeliveryResult.GIVEN_UP);
    assertThat(policy.decide(500, null, 40, dispatched, late, 0).nextAttemptAt()).isNull();
    Instant early = dispatched.plus(Duration.ofDays(2));
    assertThat(policy.decide(500, null, 40, dispatched, early, 0).result())
        .isEqualTo(DeliveryResult.RETRYING);
    // A receiver asking to be left alone past the give-up age is given up now.
    assertThat(policy.decide(503, Duration.ofDays(4), 0, dispatched, dispatched, 0).result())
        .isEqualTo(DeliveryResult.GIVEN_UP);
  }
}
