package io.leadcredits.lead;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.leadcredits.pricing.JobSize;
import java.time.Instant;
import java.util.List;

/**
 * A lead as clients see it. {@code claims} lists the confirmed claims in the order they were won;
 * {@code expiresAt} is null for a lead that does not expire; {@code creditCost} is 0 for a lead the
 * price list gives its base, and {@code category}, {@code region}, {@code jobSize} are null when
 * not given.
 */
public record LeadView(
    String leadId,
    long creditCost,
    int maxClaims,
    LeadStatus status,
    List<ClaimView> claims,
    Instant expiresAt,
    long version,
    String category,
    String region,
    JobSize jobSize) {

  @JsonCreator
  public LeadView {
    claims = List.copyOf(claims);
  }

  /** A lead at its own fixed price. */
  public LeadView(
      String leadId,
      long creditCost,
      int maxClaims,
      LeadStatus status,
      List<ClaimView> claims,
      Instant expiresAt,
      long version) {
    this(leadId, creditCost, maxClaims, status, claims, expiresAt, version, null, null, null);
  }

  /**
   * A confirmed claim and what it paid ({@code creditCost}, 0 when the engine does not say), by the
   * price list of {@code pricingVersion} (0: none), for a tradie of {@code tier} with {@code
   * claimsTaken} slots taken before it.
   */
  public record ClaimView(
      String tradieId,
      String claimId,
      Instant at,
      long creditCost,
      long pricingVersion,
      String tier,
      int claimsTaken) {
    @JsonCreator
    public ClaimView {}

    public ClaimView(String tradieId, String claimId, Instant at) {
      this(tradieId, claimId, at, 0, 0, null, 0);
    }
  }
}
