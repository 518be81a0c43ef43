package io.leadcredits.claim;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * A won claim: what it cost (the price fixed when its slot was taken, by the price list of {@code
 * pricingVersion}, 0 for none) and the tradie's balance right after paying.
 */
public record ClaimResult(
    String claimId,
    String leadId,
    String tradieId,
    long creditsUsed,
    long balance,
    long pricingVersion) {

  @JsonCreator
  public ClaimResult {}

  /** A claim at the lead's own cost. */
  public ClaimResult(
      String claimId, String leadId, String tradieId, long creditsUsed, long balance) {
    this(claimId, leadId, tradieId, creditsUsed, balance, 0);
  }
}
