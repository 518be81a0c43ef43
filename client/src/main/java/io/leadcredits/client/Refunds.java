package io.leadcredits.client;

import static io.leadcredits.client.Transport.segment;

import io.leadcredits.client.Transport.Call;
import io.leadcredits.client.model.Refund;

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
