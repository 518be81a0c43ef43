package io.leadcredits.lead;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.leadcredits.JsonSerializable;
import io.leadcredits.Rejection;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.pricing.QuoteReply;
import io.leadcredits.wakeup.WakeupReply;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;

/** What a lead can be asked to do. */
public sealed interface LeadCommand extends JsonSerializable {

  /** A command whose caller waits for an answer of type {@code R}. */
  sealed interface WithReply<R> extends LeadCommand {
    ActorRef<R> replyTo();
  }

  /**
   * Publishes the lead; a repeat with the same terms is answered as the first, other terms are an
   * idempotency conflict. {@code expiresAt} may be null. Replies {@link LeadReply}.
   */
  record Create(LeadRules.Terms terms, ActorRef<LeadReply> replyTo)
      implements WithReply<LeadReply> {
    @JsonCreator
    public Create {}

    /** A lead at its own fixed price. */
    public Create(long creditCost, int maxClaims, Instant expiresAt, ActorRef<LeadReply> replyTo) {
      this(LeadRules.Terms.fixed(creditCost, maxClaims, expiresAt), replyTo);
    }
  }

  /** Reads the lead. Replies {@link LeadReply}. */
  record Get(ActorRef<LeadReply> replyTo) implements WithReply<LeadReply> {}

  /**
   * A tradie claims the lead: takes a slot at the price of that moment, pays, confirms; refused
   * when that price is above {@code maxCost} ({@link Long#MAX_VALUE}: no bound). Replies {@link
   * ClaimReply}.
   */
  record Claim(String tradieId, long maxCost, ActorRef<ClaimReply> replyTo)
      implements WithReply<ClaimReply> {
    @JsonCreator
    public Claim {}

    public Claim(String tradieId, ActorRef<ClaimReply> replyTo) {
      this(tradieId, Long.MAX_VALUE, replyTo);
    }
  }

  /** What a claim by the tradie made now would cost. Replies {@link QuoteReply}. */
  record Quote(String tradieId, ActorRef<QuoteReply> replyTo) implements WithReply<QuoteReply> {}

  /**
   * Withdraws the lead: no new claims; claims under way still finish. Replies {@link LeadReply}.
   */
  record Close(ActorRef<LeadReply> replyTo) implements WithReply<LeadReply> {}

  /**
   * Voids the lead: no claim from now on and every confirmed claim refunded in full. Answered once
   * the void is durable (the refunds follow); a repeat is answered as the first. Replies {@link
   * LeadReply}.
   */
  record VoidLead(String reason, String by, ActorRef<LeadReply> replyTo)
      implements WithReply<LeadReply> {}

  /** The refund of a voided lead's confirmed claim was credited ({@code credited}), or not yet. */
  record VoidRefundAnswered(String claimId, boolean credited, String detail)
      implements LeadCommand {}

  /** From the wake-up sweeper: finish claims left unfinished. Replies {@link WakeupReply}. */
  record WakeUp(ActorRef<WakeupReply> replyTo) implements WithReply<WakeupReply> {}

  /** From a claim process: the credits were taken. */
  record PaymentTaken(String claimId, long balanceAfter) implements LeadCommand {}

  /** From a claim process: the account refused the payment; the slot goes back. */
  record PaymentRefused(String claimId, Rejection reason, String detail) implements LeadCommand {}

  /** From a claim process: no definite answer from the account; the claim stays pending. */
  record PaymentUnknown(String claimId, String detail) implements LeadCommand {}

  /** The durable wake-up for unfinished claims was written (or failed). */
  record WakeupRegistered(Instant dueAt, boolean ok) implements LeadCommand {}

  /**
   * Sent to itself: the claims that queued up behind this message take their slots in one write.
   */
  record TakeWaiting() implements LeadCommand {}
}
