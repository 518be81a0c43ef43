package io.leadcredits.refund;

import java.time.Instant;

/** A refund as the API shows it. */
public record RefundView(
    String refundId,
    String claimId,
    String leadId,
    String tradieId,
    long amount,
    long pricePaid,
    RefundReason reason,
    String note,
    RefundStatus status,
    Instant requestedAt,
    boolean flagged,
    Instant decidedAt,
    String decidedBy,
    String decisionNote,
    boolean credited,
    long version) {}
