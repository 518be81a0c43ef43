package io.leadcredits.lead;

import io.leadcredits.Rejection;
import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadEvent.SlotReleased;
import io.leadcredits.lead.LeadEvent.SlotTaken;
import io.leadcredits.lead.LeadState.Confirmed;
import io.leadcredits.lead.LeadState.Pending;
import io.leadcredits.pricing.Price;
import java.util.List;

/**
 * What {@link LeadRules} decides for one command: the events to persist with what the reply needs,
 * or a refusal that changes nothing. Each kind of command has its own narrower type, so the actor
 * shell handles exactly the outcomes its command can have.
 */
public sealed interface LeadDecision {

  /** On the lead itself: create, read, close. */
  sealed interface OnLead extends LeadDecision {}

  /** On a tradie's claim for a slot. */
  sealed interface OnClaim extends LeadDecision {}

  /** On the payment for a held slot: the slot is confirmed or given back. */
  sealed interface OnPayment extends LeadDecision {}

  /**
   * Persist {@code events}, then answer with the lead they leave. None for a read, or for a repeat
   * of a create or close that was already applied ({@code replayed}).
   */
  record Accept(List<LeadEvent> events, boolean replayed) implements OnLead {
    public Accept {
      events = List.copyOf(events);
    }
  }

  /**
   * The claim takes a free slot at {@code price} (fixed now, and carried by the event); once that
   * is durable its payment is taken.
   */
  record TakeSlot(SlotTaken event, Price price) implements OnClaim {}

  /** The price now is above what the tradie would pay: nothing is taken. */
  record TooExpensive(Price price, long maxCost) implements OnClaim {}

  /** The tradie already won this lead: the same claim is the answer again, and nothing changes. */
  record AlreadyWon(Confirmed claim) implements OnClaim {}

  /** The tradie's claim holds a slot and is being paid: the caller waits for that payment. */
  record Underway(Pending slot) implements OnClaim {}

  /** The payment was taken: the claim is confirmed. */
  record Confirm(ClaimConfirmed event) implements OnPayment {}

  /** The payment was refused: the slot is free again. */
  record Release(SlotReleased event) implements OnPayment {}

  /** Refused, and nothing changes. */
  record Reject(Rejection rejection, String detail) implements OnLead, OnClaim, OnPayment {}
}
