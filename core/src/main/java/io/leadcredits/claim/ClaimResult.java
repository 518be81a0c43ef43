package io.leadcredits.claim;

/** A won claim: what it cost and the tradie's balance right after paying. */
public record ClaimResult(
    String claimId, String leadId, String tradieId, long creditsUsed, long balance) {}
