package io.leadcredits.http;

import java.util.Locale;

/**
 * Every error code the API answers with, each with its one HTTP status. Clients switch on the code,
 * so a code's name and status never change once published. Codes named after a {@link
 * io.leadcredits.Rejection} mean exactly that rejection; the others belong to the HTTP layer.
 */
public enum ProblemCode {
  INVALID_REQUEST(400, "Invalid request"),
  UNAUTHENTICATED(401, "Authentication required"),
  INSUFFICIENT_CREDITS(402, "Insufficient credits"),
  FORBIDDEN(403, "Forbidden"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  LEAD_FULL(409, "Lead full"),
  LEAD_CLOSED(409, "Lead closed"),
  IDEMPOTENCY_CONFLICT(409, "Idempotency conflict"),
  HOLD_NOT_ACTIVE(409, "Hold not active"),
  TOO_MANY_HOLDS(409, "Too many holds"),
  /** The claim's price now is above the {@code maxCost} the tradie gave; nothing was taken. */
  PRICE_ABOVE_MAX(409, "Price above maximum"),
  /** A lead without creditCost while no price list is in force. */
  NO_PRICE_LIST(409, "No price list in force"),
  GRANT_NOT_ACTIVE(409, "Grant not active"),
  TOO_MANY_GRANTS(409, "Too many grants"),
  REFUND_WINDOW_CLOSED(409, "Refund window closed"),
  REFUND_EXISTS(409, "Refund exists"),
  REFUND_DECIDED(409, "Refund decided"),
  PAYLOAD_TOO_LARGE(413, "Payload too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  /** The node sheds load; nothing was attempted. */
  OVERLOADED(503, "Overloaded"),
  /** The engine did not answer in time or failed: the change may or may not have been applied. */
  OUTCOME_UNKNOWN(503, "Outcome unknown"),
  /** The node cannot serve yet (readiness probe only). */
  NOT_READY(503, "Not ready");

  private static final String TYPE_BASE = "https://leadcredits.io/problems/";

  private final int status;
  private final String title;

  ProblemCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The problem type URI, e.g. {@code https://leadcredits.io/problems/insufficient-credits}. */
  public String type() {
    return TYPE_BASE + name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether the client should retry the same request after a pause (answered with Retry-After). */
  public boolean retryable() {
    return status == 503;
  }
}
