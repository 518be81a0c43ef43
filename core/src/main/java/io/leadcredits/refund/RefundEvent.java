package io.leadcredits.refund;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.leadcredits.JsonSerializable;
import java.time.Instant;

/** Everything that happened to a refund. The JSON names are stable: they are in the journal. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RefundEvent.RefundRequested.class, name = "refund-requested"),
  @JsonSubTypes.Type(value = RefundEvent.RefundApproved.class, name = "refund-approved"),
  @JsonSubTypes.Type(value = RefundEvent.RefundRejected.class, name = "refund-rejected"),
  @JsonSubTypes.Type(value = RefundEvent.RefundCredited.class, name = "refund-credited")
})
public sealed interface RefundEvent extends JsonSerializable {

  Instant at();

  /** Asked for (by the tradie, or by the engine for a voided lead), for {@code claim}. */
  record RefundRequested(
      RefundClaim claim,
      RefundReason reason,
      @JsonInclude(JsonInclude.Include.NON_NULL) String note,
      boolean flagged,
      Instant at)
      implements RefundEvent {}

  /**
   * Decided: {@code amount} goes back; it is credited after ({@link RefundCredited}). {@code
   * leadVoided}: approved because the lead was voided, which outranks an earlier rejection.
   */
  record RefundApproved(
      long amount,
      @JsonInclude(JsonInclude.Include.NON_NULL) String note,
      String by,
      Instant at,
      boolean leadVoided)
      implements RefundEvent {}

  record RefundRejected(
      @JsonInclude(JsonInclude.Include.NON_NULL) String note, String by, Instant at)
      implements RefundEvent {}

  /** The approved amount is on the tradie's account; {@code balanceAfter} right after it. */
  record RefundCredited(long balanceAfter, Instant at) implements RefundEvent {}
}
