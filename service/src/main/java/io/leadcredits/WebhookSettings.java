package io.leadcredits;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How webhooks are delivered: whether endpoints may point at private addresses, how retries back
 * off and when they give up, and how many deliveries one node sends at once.
 *
 * @param allowPrivate endpoints may be loopback, link-local or private addresses (tests and
 *     single-host setups); otherwise they are refused, at creation and again at each delivery
 * @param retryInitial the delay before the first retry; each further retry waits twice as long
 * @param retryMax the longest delay between two attempts
 * @param giveUpAfter a delivery not done this long after its first attempt is marked FAILED
 * @param inFlightMax deliveries one node has under way at once, for first attempts (per part of a
 *     page) and for retries each
 * @param partsInFlightMax parts of {@code inFlightMax} events the dispatcher has under way at once;
 *     a crash sends at most this many parts again
 */
public record WebhookSettings(
    boolean allowPrivate,
    Duration retryInitial,
    Duration retryMax,
    Duration giveUpAfter,
    int inFlightMax,
    int partsInFlightMax) {

  public WebhookSettings {
    require(positive(retryInitial), "webhooks.retry-initial must be positive");
    require(retryMax.compareTo(retryInitial) >= 0, "webhooks.retry-max must be >= retry-initial");
    require(positive(giveUpAfter), "webhooks.give-up-after must be positive");
    require(inFlightMax >= 1 && inFlightMax <= 1_000, "webhooks.in-flight-max must be 1..1000");
    require(
        partsInFlightMax >= 1 && partsInFlightMax <= 16,
        "webhooks.parts-in-flight-max must be 1..16");
  }

  public static WebhookSettings fromConfig(Config c) {
    return new WebhookSettings(
        c.getBoolean("allow-private"),
        c.getDuration("retry-initial"),
        c.getDuration("retry-max"),
        c.getDuration("give-up-after"),
        c.getInt("in-flight-max"),
        c.getInt("parts-in-flight-max"));
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
