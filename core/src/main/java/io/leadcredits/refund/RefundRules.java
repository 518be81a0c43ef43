package io.leadcredits.refund;

import io.leadcredits.Ids;
import io.leadcredits.Rejection;
import io.leadcredits.refund.RefundEvent.RefundApproved;
import io.leadcredits.refund.RefundEvent.RefundCredited;
import io.leadcredits.refund.RefundEvent.RefundRejected;
import io.leadcredits.refund.RefundEvent.RefundRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The refund's rulebook: one refund per claim, asked for within the window, decided once (approve
 * or reject; the same decision again is its repeat), never more than the price paid, credited once.
 */
public final class RefundRules {
  private RefundRules() {}

  /** What a command comes to. */
  public sealed interface Decision {}

  /** Accepted: the events to write (none for a repeat, which is {@code replayed}). */
  public record Accept(List<RefundEvent> events, boolean replayed) implements Decision {
    public Accept {
      events = List.copyOf(events);
    }
  }

  public record Reject(Rejection reason, String detail) implements Decision {}

  /** The refund of a claim: one per claim, so its id follows from the claim's. */
  public static String refundIdOf(String claimId) {
    return "rfd_" + claimId.substring(Ids.CLAIM_PREFIX.length());
  }

  /** The claim a refund id names; null for an id no refund can have. */
  public static String claimIdOf(String refundId) {
    return refundId.startsWith("rfd_") && refundId.length() > 4
        ? Ids.CLAIM_PREFIX + refundId.substring(4)
        : null;
  }

  public static Decision request(
      RefundState state,
      RefundClaim claim,
      RefundReason reason,
      String note,
      boolean flagged,
      Duration window,
      Instant now) {
    if (state.requested()) {
      boolean same = state.reason() == reason && Objects.equals(state.note(), note);
      return same
          ? new Accept(List.of(), true)
          : new Reject(
              Rejection.REFUND_EXISTS, "claim " + claim.claimId() + " has a refund request");
    }
    if (now.isAfter(claim.claimedAt().plus(window))) {
      return new Reject(
          Rejection.REFUND_WINDOW_CLOSED,
          "refunds are asked within " + window + " of the claim, made " + claim.claimedAt());
    }
    // From here the request is recorded.
    return new Accept(List.of(new RefundRequested(claim, reason, note, flagged, now)), false);
  }

  /** {@code amount} null: the full price paid. */
  public static Decision approve(
      RefundState state, Long amount, String note, String by, Instant now) {
    if (!state.requested()) {
      return new Reject(Rejection.NOT_FOUND, "no such refund");
    }
    long paid = state.claim().pricePaid();
    long give = amount == null ? paid : amount;
    if (give < 1 || give > paid) {
      return new Reject(
          Rejection.INVALID_REQUEST, "a refund is 1.." + paid + " credits, the price paid");
    }
    if (state.status() == RefundStatus.APPROVED) {
      return give == state.amount()
          ? new Accept(List.of(), true)
          : new Reject(Rejection.REFUND_DECIDED, "the refund was approved for " + state.amount());
    }
    if (state.status() == RefundStatus.REJECTED) {
      return new Reject(Rejection.REFUND_DECIDED, "the refund was rejected");
    }
    // From here the refund is approved.
    return new Accept(List.of(new RefundApproved(give, note, by, now, false)), false);
  }

  public static Decision reject(RefundState state, String note, String by, Instant now) {
    if (!state.requested()) {
      return new Reject(Rejection.NOT_FOUND, "no such refund");
    }
    if (state.status() == RefundStatus.REJECTED) {
      return new Accept(List.of(), true);
    }
    if (state.status() == RefundStatus.APPROVED) {
      return new Reject(Rejection.REFUND_DECIDED, "the refund was approved");
    }
    return new Accept(List.of(new RefundRejected(note, by, now)), false);
  }

  /**
   * The claim's lead was voided: the claim is refunded in full, whatever was asked or decided
   * before, unless a refund was approved already (then it was refunded once; nothing more).
   */
  public static Accept leadVoided(RefundState state, RefundClaim claim, String by, Instant now) {
    RefundApproved full = new RefundApproved(claim.pricePaid(), "lead voided", by, now, true);
    if (!state.requested()) {
      return new Accept(
          List.of(new RefundRequested(claim, RefundReason.LEAD_VOIDED, null, false, now), full),
          false);
    }
    if (state.status() == RefundStatus.APPROVED) {
      return new Accept(List.of(), true);
    }
    return new Accept(
        List.of(new RefundApproved(state.claim().pricePaid(), "lead voided", by, now, true)),
        false);
  }

  /** The account took the credit: recorded once. */
  public static List<RefundEvent> credited(RefundState state, long balanceAfter, Instant now) {
    return state.creditOwed() ? List.of(new RefundCredited(balanceAfter, now)) : List.of();
  }
}
