package io.leadcredits.lead;

import io.leadcredits.account.AccountCommand;
import io.leadcredits.account.AccountRefs;
import io.leadcredits.account.AccountReply;
import io.leadcredits.claim.ClaimDebit;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Takes the payment for one claim whose slot the lead already holds, then tells the lead and stops
 * (one actor per claim). Its only durable record is the lead's pending slot: if this actor dies,
 * the lead starts another, and because the debit's transaction id is the claim id, the account
 * applies it at most once and answers a repeat with the first outcome.
 */
public final class ClaimProcess {

  /** Messages of the process; all private to it. */
  public sealed interface Message {}

  private record DebitAnswered(AccountReply reply) implements Message {}

  private record DebitFailed(String detail) implements Message {}

  private enum Retry implements Message {
    INSTANCE
  }

  /** Who to charge, how much, and how patiently. */
  public record Job(
      String claimId,
      String leadId,
      String tradieId,
      long creditCost,
      Duration askTimeout,
      int attemptsMax) {}

  private final ActorContext<Message> context;
  private final TimerScheduler<Message> timers;
  private final Job job;
  private final AccountRefs accounts;
  private final ActorRef<LeadCommand> lead;
  private int attempt;

  public static Behavior<Message> create(
      Job job, AccountRefs accounts, ActorRef<LeadCommand> lead) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new ClaimProcess(ctx, timers, job, accounts, lead).charge()));
  }

  private ClaimProcess(
      ActorContext<Message> context,
      TimerScheduler<Message> timers,
      Job job,
      AccountRefs accounts,
      ActorRef<LeadCommand> lead) {
    this.context = context;
    this.timers = timers;
    this.job = job;
    this.accounts = accounts;
    this.lead = lead;
  }

  private Behavior<Message> charge() {
    attempt++;
    Map<String, String> metadata = ClaimDebit.metadata(job.leadId(), job.claimId());
    context.ask(
        AccountReply.class,
        accounts.account(job.tradieId()),
        job.askTimeout(),
        replyTo -> new AccountCommand.Debit(job.claimId(), job.creditCost(), metadata, replyTo),
        (reply, failure) ->
            reply != null ? new DebitAnswered(reply) : new DebitFailed(String.valueOf(failure)));
    return Behaviors.receive(Message.class)
        .onMessage(DebitAnswered.class, this::onAnswer)
        .onMessage(DebitFailed.class, f -> retryOrGiveUp(f.detail()))
        .onMessageEquals(Retry.INSTANCE, this::charge)
        .build();
  }

  private Behavior<Message> onAnswer(DebitAnswered answered) {
    AccountReply reply = answered.reply();
    if (reply instanceof AccountReply.Accepted a) {
      lead.tell(new LeadCommand.PaymentTaken(job.claimId(), a.balanceAfter()));
      return Behaviors.stopped();
    }
    if (reply instanceof AccountReply.Rejected r) {
      lead.tell(new LeadCommand.PaymentRefused(job.claimId(), r.reason(), r.detail()));
      return Behaviors.stopped();
    }
    return retryOrGiveUp(
        reply instanceof AccountReply.Overloaded o
            ? o.detail()
            : ((AccountReply.Unavailable) reply).detail());
  }

  /**
   * No definite answer: the debit may or may not have landed. Retrying with the same claim id is
   * safe; after the last attempt the lead keeps the slot pending and its wake-up tries again later.
   */
  private Behavior<Message> retryOrGiveUp(String detail) {
    if (attempt >= job.attemptsMax()) {
      lead.tell(new LeadCommand.PaymentUnknown(job.claimId(), detail));
      return Behaviors.stopped();
    }
    // Backoff doubles from 100 ms so a struggling database is not hammered by retries.
    Duration backoff = Duration.ofMillis(100L << Math.min(attempt, 6));
    timers.startSingleTimer(Retry.INSTANCE, backoff);
    return Behaviors.same();
  }
}
