package io.leadcredits.lead;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.leadcredits.JsonSerializable;
import io.leadcredits.Rejection;
import java.time.Instant;

/** Everything that happened to a lead. A claim is a slot taken, then confirmed or released. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
  @JsonSubTypes.Type(value = LeadEvent.LeadCreated.class, name = "lead-created"),
  @JsonSubTypes.Type(value = LeadEvent.SlotTaken.class, name = "slot-taken"),
  @JsonSubTypes.Type(value = LeadEvent.ClaimConfirmed.class, name = "claim-confirmed"),
  @JsonSubTypes.Type(value = LeadEvent.SlotReleased.class, name = "slot-released"),
  @JsonSubTypes.Type(value = LeadEvent.LeadClosed.class, name = "lead-closed")
})
public sealed interface LeadEvent extends JsonSerializable {

  Instant at();

  record LeadCreated(long creditCost, int maxClaims, Instant expiresAt, Instant at)
      implements LeadEvent {}

  /** A slot is held for the tradie while the payment is taken. */
  record SlotTaken(String claimId, String tradieId, Instant at) implements LeadEvent {}

  /** Paid and confirmed; {@code balanceAfter} is the tradie's balance right after paying. */
  record ClaimConfirmed(
      String claimId, String tradieId, long creditsUsed, long balanceAfter, Instant at)
      implements LeadEvent {}

  /** The payment was refused; the slot is free again and nothing was charged. */
  record SlotReleased(String claimId, String tradieId, Rejection reason, Instant at)
      implements LeadEvent {}

  record LeadClosed(Instant at) implements LeadEvent {}
}
