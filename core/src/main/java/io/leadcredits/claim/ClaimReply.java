package io.leadcredits.claim;

import io.leadcredits.JsonSerializable;
import io.leadcredits.Rejection;
import io.leadcredits.pricing.Price;

/** The answer to a claim. */
public sealed interface ClaimReply extends JsonSerializable {

  /** The tradie holds a confirmed claim and has paid for it; {@code replayed} on a repeat. */
  record Claimed(ClaimResult result, boolean replayed) implements ClaimReply {}

  /** Nothing was taken: no slot, no credits. */
  record Rejected(Rejection reason, String detail) implements ClaimReply {}

  /**
   * The claim is under way but its outcome is not known yet (the account did not answer in time).
   * It will finish by itself; repeating the claim returns the outcome.
   */
  record Pending(String claimId, String detail) implements ClaimReply {}

  /**
   * The claim's price now is above the tradie's {@code maxCost}: nothing was taken. {@code price}
   * is what the claim would have cost.
   */
  record PriceAboveMax(Price price, long maxCost, String detail) implements ClaimReply {}

  /** The lead sheds load: the claim was refused before anything was attempted. */
  record Overloaded(String detail) implements ClaimReply {}
}
