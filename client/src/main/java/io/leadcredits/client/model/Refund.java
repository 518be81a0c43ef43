package io.leadcredits.client.model;

/**
 * A refund of a claim: {@code amount} is what is asked back (the price paid) while {@code PENDING},
 * what was approved once {@code APPROVED}; {@code credited} once it is on the tradie's account.
 */
public record Refund(
    String refundId,
    String claimId,
    String leadId,
    String tradieId,
    long amount,
    long pricePaid,
    String reason,
    String note,
    String status,
    String requestedAt,
    boolean flagged,
    String decidedAt,
    String decidedBy,
    String decisionNote,
    boolean credited) {}
