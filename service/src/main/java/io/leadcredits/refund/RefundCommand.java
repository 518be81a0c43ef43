package io.leadcredits.refund;

import io.leadcredits.JsonSerializable;
import io.leadcredits.account.AccountReply;
import io.leadcredits.wakeup.WakeupReply;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;

/** What a refund can be asked to do. Each request is answered with a {@link RefundReply}. */
public sealed interface RefundCommand extends JsonSerializable {

  /** A command that is answered with a {@link RefundReply}. */
  sealed interface WithReply extends RefundCommand {
    ActorRef<RefundReply> replyTo();
  }

  /** The claim's tradie asks for its credits back. */
  record Request(
      RefundClaim claim,
      RefundReason reason,
      String note,
      boolean flagged,
      ActorRef<RefundReply> replyTo)
      implements WithReply {}

  /** An admin gives back {@code amount} (null: the full price paid). */
  record Approve(Long amount, String note, String by, ActorRef<RefundReply> replyTo)
      implements WithReply {}

  record Reject(String note, String by, ActorRef<RefundReply> replyTo) implements WithReply {}

  /**
   * The claim's lead was voided: refund it in full. Answered once the credit is on the account (or
   * {@link RefundReply.Unavailable} when that is not known yet; the refund goes on by itself).
   */
  record LeadVoided(RefundClaim claim, String by, ActorRef<RefundReply> replyTo)
      implements WithReply {}

  record Get(ActorRef<RefundReply> replyTo) implements WithReply {}

  /** From the wake-up sweeper: finish an approved refund's credit. Replies {@link WakeupReply}. */
  record WakeUp(ActorRef<WakeupReply> replyTo) implements RefundCommand {}

  /** The durable wake-up was written (or not); decisions that waited for it go on. */
  record WakeupRegistered(Instant dueAt, boolean ok) implements RefundCommand {}

  /** The account's answer to the credit (null with {@code failure} when none came). */
  record CreditAnswered(AccountReply reply, String failure) implements RefundCommand {}

  /** Time to ask the account again. */
  record RetryCredit() implements RefundCommand {}
}
