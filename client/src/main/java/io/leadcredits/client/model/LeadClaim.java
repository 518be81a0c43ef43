package io.leadcredits.client.model;

import java.time.Instant;

/** A slot of a lead taken by a tradie, at the price fixed when it took the slot. */
public record LeadClaim(
    String tradieId,
    String claimId,
    Instant at,
    Long creditCost,
    Long pricingVersion,
    String tier,
    Integer claimsTaken) {}
