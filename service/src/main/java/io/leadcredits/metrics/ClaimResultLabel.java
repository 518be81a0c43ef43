package io.leadcredits.metrics;

import io.leadcredits.Rejection;
import java.util.Locale;

/**
 * The {@code result} of a claim request in {@code lead_claims_total}. WON is counted once per
 * claim, when it is confirmed and paid; the others once per request refused for that reason.
 */
public enum ClaimResultLabel {
  WON,
  LEAD_FULL,
  LEAD_CLOSED,
  INSUFFICIENT_CREDITS,
  /** The tradie already holds the claim, or is claiming it right now. */
  DUPLICATE,
  NOT_FOUND,
  /** The price was above the tradie's maxCost; nothing was taken. */
  PRICE_ABOVE_MAX,
  /** Not decided: the lead was overloaded or its journal unreachable; nothing was taken. */
  FAILED;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The result of a claim refused for {@code reason}. */
  public static ClaimResultLabel of(Rejection reason) {
    return switch (reason) {
      case LEAD_FULL -> LEAD_FULL;
      case LEAD_CLOSED -> LEAD_CLOSED;
      case INSUFFICIENT_CREDITS -> INSUFFICIENT_CREDITS;
      case NOT_FOUND -> NOT_FOUND;
      case PRICE_ABOVE_MAX -> PRICE_ABOVE_MAX;
      default -> FAILED;
    };
  }
}
