package io.leadcredits.refund;

import io.leadcredits.refund.RefundEvent.RefundApproved;
import io.leadcredits.refund.RefundEvent.RefundCredited;
import io.leadcredits.refund.RefundEvent.RefundRejected;
import io.leadcredits.refund.RefundEvent.RefundRequested;
import java.time.Instant;

/**
 * A refund's state, the fold of its events: asked for, then approved or rejected (final), and once
 * approved, credited exactly once. {@code amount} is what is asked back (the price paid) until
 * approved, then what was approved; it is never more than the price paid.
 */
public record RefundState(
    RefundClaim claim,
    RefundReason reason,
    String note,
    boolean flagged,
    Instant requestedAt,
    RefundStatus status,
    long amount,
    String decisionNote,
    String decidedBy,
    Instant decidedAt,
    boolean credited,
    long balanceAfter,
    long version)
    implements io.leadcredits.JsonSerializable {

  public static RefundState empty() {
    return new RefundState(null, null, null, false, null, null, 0, null, null, null, false, 0, 0);
  }

  public boolean requested() {
    return claim != null;
  }

  /** Approved and not yet on the tradie's account: the credit is owed. */
  public boolean creditOwed() {
    return status == RefundStatus.APPROVED && !credited;
  }

  public RefundView view(String refundId) {
    return new RefundView(
        refundId,
        claim.claimId(),
        claim.leadId(),
        claim.tradieId(),
        amount,
        claim.pricePaid(),
        reason,
        note,
        status,
        requestedAt,
        flagged,
        decidedAt,
        decidedBy,
        decisionNote,
        credited,
        version);
  }

  /** The next state. Throws on an event that could not have come from this state. */
  public RefundState apply(RefundEvent event) {
    long v = version + 1;
    if (event instanceof RefundRequested r) {
      check(!requested(), "requested twice", event);
      return new RefundState(
          r.claim(),
          r.reason(),
          r.note(),
          r.flagged(),
          r.at(),
          RefundStatus.PENDING,
          r.claim().pricePaid(),
          null,
          null,
          null,
          false,
          0,
          v);
    }
    check(requested(), "event before the request", event);
    if (event instanceof RefundApproved a) {
      check(
          status == RefundStatus.PENDING || (status == RefundStatus.REJECTED && a.leadVoided()),
          "decided twice",
          event);
      check(a.amount() >= 1 && a.amount() <= claim.pricePaid(), "refund above the price", event);
      return new RefundState(
          claim,
          reason,
          note,
          flagged,
          requestedAt,
          RefundStatus.APPROVED,
          a.amount(),
          a.note(),
          a.by(),
          a.at(),
          false,
          0,
          v);
    }
    if (event instanceof RefundRejected r) {
      check(status == RefundStatus.PENDING, "decided twice", event);
      return new RefundState(
          claim,
          reason,
          note,
          flagged,
          requestedAt,
          RefundStatus.REJECTED,
          amount,
          r.note(),
          r.by(),
          r.at(),
          false,
          0,
          v);
    }
    if (event instanceof RefundCredited c) {
      check(creditOwed(), "credited twice or unapproved", event);
      return new RefundState(
          claim,
          reason,
          note,
          flagged,
          requestedAt,
          status,
          amount,
          decisionNote,
          decidedBy,
          decidedAt,
          true,
          c.balanceAfter(),
          v);
    }
    throw new IllegalStateException("unknown event " + event);
  }

  private static void check(boolean ok, String what, RefundEvent event) {
    if (!ok) {
      throw new IllegalStateException("refund invariant broken (" + what + "): " + event);
    }
  }
}
