package io.leadcredits.refund;

import io.leadcredits.account.SpentGrant;
import java.time.Instant;
import java.util.List;

/**
 * The claim a refund is for, as its debit recorded it: who paid, how much, when, and which grants
 * the credits came from (with their terms).
 */
public record RefundClaim(
    String claimId,
    String leadId,
    String tradieId,
    long pricePaid,
    Instant claimedAt,
    List<SpentGrant> spent) {
  public RefundClaim {
    spent = List.copyOf(spent);
  }
}
