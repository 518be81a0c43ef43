package io.leadcredits.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A top-up as a grant: {@code category} {@code paid} (default) or {@code promotional}, an optional
 * expiry (at most 10 years ahead), a {@code priority} 0–100 (default 50; lower is spent first) and,
 * for paid grants, what the tradie paid.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewGrant(
    long amount, String reason, String category, Instant expiresAt, Integer priority, Price price) {
  /** What a paid grant cost, in the currency's minor unit. */
  public record Price(long amountMinor, String currency) {}

  public static NewGrant paid(long amount, String reason) {
    return new NewGrant(amount, reason, "paid", null, null, null);
  }

  public static NewGrant promotional(long amount, String reason, Instant expiresAt) {
    return new NewGrant(amount, reason, "promotional", expiresAt, null, null);
  }
}
