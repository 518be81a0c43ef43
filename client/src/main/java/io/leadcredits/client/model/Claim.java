package io.leadcredits.client.model;

/**
 * A claim won: the slot's claim id, what it cost ({@code creditsUsed}, the same as {@code
 * creditCost}), the version of the price list that priced it (null for a lead's own fixed price)
 * and the tradie's balance after.
 */
public record Claim(
    String claimId,
    String leadId,
    String tradieId,
    long creditsUsed,
    long balance,
    Long creditCost,
    Long pricingVersion) {}
