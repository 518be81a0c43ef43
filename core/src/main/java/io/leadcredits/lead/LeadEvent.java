package io.leadcredits.lead;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.leadcredits.JsonSerializable;
import io.leadcredits.Rejection;
import io.leadcredits.pricing.JobSize;
import java.time.Instant;

/** Everything that happened to a lead. A claim is a slot taken, then confirmed or released. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
  @JsonSubTypes.Type(value = LeadEvent.LeadCreated.class, name = "lead-created"),
  @JsonSubTypes.Type(value = LeadEvent.SlotTaken.class, name = "slot-taken"),
  @JsonSubTypes.Type(value = LeadEvent.ClaimConfirmed.class, name = "claim-confirmed"),
  @JsonSubTypes.Type(value = LeadEvent.SlotReleased.class, name = "slot-released"),
  @JsonSubTypes.Type(value = LeadEvent.LeadClosed.class, name = "lead-closed"),
  @JsonSubTypes.Type(value = LeadEvent.LeadVoided.class, name = "lead-voided"),
  @JsonSubTypes.Type(value = LeadEvent.VoidRefunded.class, name = "void-refunded")
})
public sealed interface LeadEvent extends JsonSerializable {

  Instant at();

  /**
   * {@code creditCost} is the lead's own price (its base when a price list is in force), or 0 when
   * the price list gives the base; {@code category}, {@code region} and {@code jobSize} are what
   * the list prices it by, each optional (events stored before price lists have none).
   */
  record LeadCreated(
      long creditCost,
      int maxClaims,
      Instant expiresAt,
      Instant at,
      String category,
      String region,
      JobSize jobSize)
      implements LeadEvent {
    @JsonCreator
    public LeadCreated {}

    /** A lead at its own fixed price, with nothing the list could price it by. */
    public LeadCreated(long creditCost, int maxClaims, Instant expiresAt, Instant at) {
      this(creditCost, maxClaims, expiresAt, at, null, null, null);
    }
  }

  /**
   * A slot is held for the tradie while the payment is taken, at the price fixed now: {@code
   * creditCost} by the list of {@code pricingVersion} (0: the lead's own cost), from the tradie's
   * {@code tier} and the {@code claimsTaken} slots already taken. An event stored before price
   * lists has {@code creditCost} 0: its price is the lead's own cost.
   */
  record SlotTaken(
      String claimId,
      String tradieId,
      Instant at,
      long creditCost,
      long pricingVersion,
      String tier,
      int claimsTaken)
      implements LeadEvent {
    @JsonCreator
    public SlotTaken {}

    /** A slot at the lead's own cost. */
    public SlotTaken(String claimId, String tradieId, Instant at) {
      this(claimId, tradieId, at, 0, 0, null, 0);
    }
  }

  /**
   * Paid and confirmed: {@code creditsUsed} is the price fixed when the slot was taken, by the list
   * of {@code pricingVersion} (0: none); {@code balanceAfter} is the tradie's balance right after.
   */
  record ClaimConfirmed(
      String claimId,
      String tradieId,
      long creditsUsed,
      long balanceAfter,
      Instant at,
      long pricingVersion)
      implements LeadEvent {
    @JsonCreator
    public ClaimConfirmed {}

    public ClaimConfirmed(
        String claimId, String tradieId, long creditsUsed, long balanceAfter, Instant at) {
      this(claimId, tradieId, creditsUsed, balanceAfter, at, 0);
    }
  }

  /** The payment was refused; the slot is free again and nothing was charged. */
  record SlotReleased(String claimId, String tradieId, Rejection reason, Instant at)
      implements LeadEvent {}

  record LeadClosed(Instant at) implements LeadEvent {}

  /**
   * An admin voided the lead: no claim from now on, and every confirmed claim (those of {@code
   * claims}, then any whose payment lands later) is owed a full refund, which the lead drives to
   * completion ({@link VoidRefunded}) across crashes.
   */
  record LeadVoided(String reason, String by, Instant at, int claims) implements LeadEvent {}

  /** The refund of the confirmed claim {@code claimId} of a voided lead is credited. */
  record VoidRefunded(String claimId, Instant at) implements LeadEvent {}
}
