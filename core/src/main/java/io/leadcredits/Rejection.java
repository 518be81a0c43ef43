package io.leadcredits;

/**
 * Every reason the engine refuses a request, in a fixed order. A rejection changes nothing. Each is
 * mapped to exactly one HTTP status in the http package; {@code permanent} says whether retrying
 * the same request can ever succeed without something else changing first.
 */
public enum Rejection {
  INVALID_REQUEST(true),
  NOT_FOUND(true),
  INSUFFICIENT_CREDITS(false),
  LEAD_FULL(false),
  LEAD_CLOSED(true),
  IDEMPOTENCY_CONFLICT(true),
  HOLD_NOT_ACTIVE(true),
  TOO_MANY_HOLDS(false),
  /** The claim's price is above the most the tradie said they would pay. */
  PRICE_ABOVE_MAX(false),
  /** The lead has no cost of its own and no price list is in force to give it one. */
  NO_PRICE_LIST(false),
  GRANT_NOT_ACTIVE(true),
  TOO_MANY_GRANTS(false),
  /** A refund asked for after the refund window of its claim. */
  REFUND_WINDOW_CLOSED(true),
  /** The claim has a refund request already (another one than this). */
  REFUND_EXISTS(true),
  /** The refund was approved or rejected already, otherwise than asked now. */
  REFUND_DECIDED(true);

  private final boolean permanent;

  Rejection(boolean permanent) {
    this.permanent = permanent;
  }

  public boolean permanent() {
    return permanent;
  }
}
