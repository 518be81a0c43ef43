package io.leadcredits;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How refunds are asked for and given (docs/design.md, "Refunds").
 *
 * @param window a refund may be asked for this long after the claim
 * @param rateMax a request is flagged when the tradie's approved refunds of the last {@code
 *     rateLookback} are more than this share of their claims then
 * @param rateLookback how far back the share is counted
 * @param creditTtl what a refund gives back from a grant that has expired since comes back as a
 *     promotional grant expiring this long after the refund
 */
public record RefundSettings(
    Duration window, double rateMax, Duration rateLookback, Duration creditTtl) {

  public RefundSettings {
    require(positive(window), "refunds.window must be positive");
    require(rateMax >= 0 && rateMax <= 1, "refunds.rate-max must be 0..1");
    require(positive(rateLookback), "refunds.rate-lookback must be positive");
    require(
        positive(creditTtl) && creditTtl.compareTo(Limits.grantLifetimeMax) <= 0,
        "refunds.credit-ttl must be positive and at most "
            + Limits.grantLifetimeMax.toDays()
            + "d");
  }

  public static RefundSettings fromConfig(Config c) {
    return new RefundSettings(
        c.getDuration("window"),
        c.getDouble("rate-max"),
        c.getDuration("rate-lookback"),
        c.getDuration("credit-ttl"));
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid setting: " + message);
    }
  }
}
