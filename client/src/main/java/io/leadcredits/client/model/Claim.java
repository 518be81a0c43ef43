package io.leadcredits.client.model;

/** A claim won: the slot's claim id, what it cost and the tradie's balance after. */
public record Claim(
    String claimId, String leadId, String tradieId, long creditsUsed, long balance) {}
