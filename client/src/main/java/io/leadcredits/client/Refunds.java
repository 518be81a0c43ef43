package io.leadcredits.client;

import static io.leadcredits.client.Transport.segment;

import io.leadcredits.client.Transport.Call;
import io.leadcredits.client.model.Refund;
import java.util.List;

/**
 * Refunds of claims: asked for by the claim's tradie, approved or rejected by an admin. One refund
 * per claim, and each call's repeat answers the first, so all are retried like idempotent calls.
 */
public final class Refunds {
  private final Transport transport;

  Refunds(Transport transport) {
    this.transport = transport;
  }

  private record RequestBody(String reason, String note) {}

  private record ApproveBody(Long amount, String note) {}

  private record RejectBody(String note) {}

  /** The calling tradie asks for a refund of their claim ({@code reason}: e.g. FAKE). */
  @Route("POST /api/claims/{claimId}/refund-requests")
  public Refund request(String claimId, String reason, String note) {
    return transport.call(
        Call.write(
            "POST",
            "api/claims/" + segment(claimId) + "/refund-requests",
            new RequestBody(reason, note),
            null),
        Refund.class);
  }

  /** A page of refunds in id order (admin). */
  public record Page(List<Refund> items, String next) {}

  /**
   * Refunds of {@code status} (null: all; PENDING, APPROVED or REJECTED), at most {@code limit},
   * after the id {@code after} (null: from the first; else the previous page's {@code next}).
   */
  @Route("GET /api/refunds")
  public Page list(String status, int limit, String after) {
    StringBuilder path = new StringBuilder("api/refunds?limit=").append(limit);
    if (status != null) {
      path.append("&status=").append(segment(status));
    }
    if (after != null) {
      path.append("&after=").append(segment(after));
    }
    return transport.call(Call.read(path.toString()), Page.class);
  }

  /** A claim the tradie paid for: price, time, and its refund (null when none was asked for). */
  public record ClaimItem(
      String claimId, String leadId, long creditsUsed, String claimedAt, Refund refund) {}

  /** A page of a tradie's claims; {@code next} (a version) resumes after the last, or null. */
  public record Claims(List<ClaimItem> items, String next) {}

  /** The tradie's claims after version {@code after} (0: from the start), oldest first. */
  @Route("GET /api/accounts/{accountId}/claims")
  public Claims claims(String accountId, long after, int limit) {
    return transport.call(
        Call.read(
            "api/accounts/" + segment(accountId) + "/claims?after=" + after + "&limit=" + limit),
        Claims.class);
  }

  /** Approves (admin): {@code amount} null gives back the full price paid. */
  @Route("POST /api/refunds/{refundId}/approve")
  public Refund approve(String refundId, Long amount, String note) {
    return transport.call(
        Call.write(
            "POST",
            "api/refunds/" + segment(refundId) + "/approve",
            new ApproveBody(amount, note),
            null),
        Refund.class);
  }

  @Route("POST /api/refunds/{refundId}/reject")
  public Refund reject(String refundId, String note) {
    return transport.call(
        Call.write(
            "POST", "api/refunds/" + segment(refundId) + "/reject", new RejectBody(note), null),
        Refund.class);
  }
}
