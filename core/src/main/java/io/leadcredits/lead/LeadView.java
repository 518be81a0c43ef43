package io.leadcredits.lead;

import java.time.Instant;
import java.util.List;

/**
 * A lead as clients see it. {@code claims} lists the confirmed claims in the order they were won;
 * {@code expiresAt} is null for a lead that does not expire.
 */
public record LeadView(
    String leadId,
    long creditCost,
    int maxClaims,
    LeadStatus status,
    List<ClaimView> claims,
    Instant expiresAt,
    long version) {

  public LeadView {
    claims = List.copyOf(claims);
  }

  public record ClaimView(String tradieId, String claimId, Instant at) {}
}
