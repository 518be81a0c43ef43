package io.leadcredits.refund;

import io.leadcredits.Settings;
import io.leadcredits.account.AccountCommand;
import io.leadcredits.account.AccountRefs;
import io.leadcredits.account.AccountReply;
import io.leadcredits.refund.RefundCommand.Approve;
import io.leadcredits.refund.RefundCommand.CreditAnswered;
import io.leadcredits.refund.RefundCommand.Get;
import io.leadcredits.refund.RefundCommand.LeadVoided;
import io.leadcredits.refund.RefundCommand.Reject;
import io.leadcredits.refund.RefundCommand.Request;
import io.leadcredits.refund.RefundCommand.RetryCredit;
import io.leadcredits.refund.RefundCommand.WakeUp;
import io.leadcredits.refund.RefundCommand.WakeupRegistered;
import io.leadcredits.refund.RefundCommand.WithReply;
import io.leadcredits.wakeup.DurableWakeup;
import io.leadcredits.wakeup.WakeupReply;
import io.leadcredits.wakeup.WakeupStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refund of one claim (one per claim: its id follows from the claim's). One live instance per
 * refund across the cluster. Guarantees: asked for within the window, decided once, never more than
 * the price paid, and an approved refund credited to the tradie exactly once, across crashes.
 *
 * <p>The approval is the durable record of the credit owed, as a pending slot is a claim's: it is
 * written only once a durable wake-up exists for this refund, then the account is asked to credit
 * with the refund id as the transaction id, so a repeat is applied at most once; the credit's
 * acceptance is recorded ({@code RefundCredited}). After a crash between any two steps, recovery
 * (woken by the sweeper) asks the account again and gets the first answer.
 */
public final class Refund
    extends EventSourcedBehaviorWithEnforcedReplies<RefundCommand, RefundEvent, RefundState> {

  public static final EntityTypeKey<RefundCommand> ENTITY_KEY =
      EntityTypeKey.create(RefundCommand.class, "Refund");

  public static final String WAKEUP_TYPE = "refund";

  /** How often the entity asks the account before leaving the credit to the wake-up. */
  private static final int creditAttemptsMax = 5;

  private static final Logger log = LoggerFactory.getLogger(Refund.class);

  private final ActorContext<RefundCommand> context;
  private final TimerScheduler<RefundCommand> timers;
  private final String refundId;
  private final Settings settings;
  private final Clock clock;
  private final AccountRefs accounts;
  private final DurableWakeup wakeup;

  // Not state: this incarnation's decisions waiting for the wake-up, callers of a void waiting for
  // the credit, and its credit under way.
  private final List<WithReply> waitingForWakeup = new ArrayList<>();
  private final List<org.apache.pekko.actor.typed.ActorRef<RefundReply>> waitingForCredit =
      new ArrayList<>();
  private boolean crediting;
  private int attempt;

  public static Behavior<RefundCommand> create(
      String refundId, Settings settings, Clock clock, WakeupStore wakeups, AccountRefs accounts) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new Refund(ctx, timers, refundId, settings, clock, wakeups, accounts)));
  }

  public static PersistenceId persistenceId(String refundId) {
    return PersistenceId.of(ENTITY_KEY.name(), refundId);
  }

  private Refund(
      ActorContext<RefundCommand> context,
      TimerScheduler<RefundCommand> timers,
      String refundId,
      Settings settings,
      Clock clock,
      WakeupStore wakeups,
      AccountRefs accounts) {
    super(
        persistenceId(refundId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.context = context;
    this.timers = timers;
    this.refundId = refundId;
    this.settings = settings;
    this.clock = clock;
    this.accounts = accounts;
    this.wakeup = new DurableWakeup(wakeups, WAKEUP_TYPE, refundId);
  }

  @Override
  public RefundState emptyState() {
    return RefundState.empty();
  }

  @Override
  public SignalHandler<RefundState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::recovered)
        .build();
  }

  /** After recovery (also after a restart by a failed write) an owed credit is asked for again. */
  private void recovered(RefundState state) {
    wakeup.forget();
    crediting = false;
    List<WithReply> waiting = new ArrayList<>(waitingForWakeup);
    waitingForWakeup.clear();
    waiting.forEach(
        c -> c.replyTo().tell(new RefundReply.Unavailable("the refund restarted; retry")));
    if (state.creditOwed()) {
      credit(state);
    }
  }

  @Override
  public CommandHandlerWithReply<RefundCommand, RefundEvent, RefundState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Request.class, this::onRequest)
        .onCommand(Approve.class, this::onApprove)
        .onCommand(Reject.class, this::onReject)
        .onCommand(LeadVoided.class, this::onLeadVoided)
        .onCommand(Get.class, this::onGet)
        .onCommand(WakeupRegistered.class, this::onWakeupRegistered)
        .onCommand(CreditAnswered.class, this::onCreditAnswered)
        .onCommand(RetryCredit.class, (s, r) -> retryCredit(s))
        .onCommand(WakeUp.class, this::onWakeUp)
        .build();
  }

  @Override
  public EventHandler<RefundState, RefundEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(RefundState::apply);
  }

  private ReplyEffect<RefundEvent, RefundState> onRequest(RefundState state, Request r) {
    RefundRules.Decision d =
        RefundRules.request(
            state,
            r.claim(),
            r.reason(),
            r.note(),
            r.flagged(),
            settings.refunds().window(),
            clock.instant());
    return reply(state, r, d);
  }

  private ReplyEffect<RefundEvent, RefundState> onReject(RefundState state, Reject r) {
    return reply(state, r, RefundRules.reject(state, r.note(), r.by(), clock.instant()));
  }

  private ReplyEffect<RefundEvent, RefundState> onGet(RefundState state, Get g) {
    if (!state.requested()) {
      return Effect()
          .reply(
              g.replyTo(),
              new RefundReply.Rejected(io.leadcredits.Rejection.NOT_FOUND, "no such refund"));
    }
    return Effect().reply(g.replyTo(), new RefundReply.Accepted(state.view(refundId), false));
  }

  /** An approval writes the credit owed: only once a wake-up will finish it after any crash. */
  private ReplyEffect<RefundEvent, RefundState> onApprove(RefundState state, Approve a) {
    RefundRules.Decision d = RefundRules.approve(state, a.amount(), a.note(), a.by(), now());
    if (d instanceof RefundRules.Accept accept && !accept.events().isEmpty() && !wakeup.known()) {
      return waitForWakeup(a);
    }
    return reply(state, a, d);
  }

  private ReplyEffect<RefundEvent, RefundState> onLeadVoided(RefundState state, LeadVoided v) {
    RefundRules.Accept d = RefundRules.leadVoided(state, v.claim(), v.by(), now());
    if (!d.events().isEmpty() && !wakeup.known()) {
      return waitForWakeup(v);
    }
    if (d.events().isEmpty()) {
      if (!state.creditOwed()) {
        return Effect().reply(v.replyTo(), new RefundReply.Accepted(state.view(refundId), true));
      }
      waitingForCredit.add(v.replyTo());
      credit(state);
      return Effect().noReply();
    }
    return Effect()
        .persist(d.events())
        .thenRun(
            (RefundState s) -> {
              waitingForCredit.add(v.replyTo());
              credit(s);
            })
        .thenNoReply();
  }

  private ReplyEffect<RefundEvent, RefundState> waitForWakeup(WithReply command) {
    waitingForWakeup.add(command);
    Instant due = now().plus(settings.claimResumeDelay());
    wakeup.write(context, due, ok -> new WakeupRegistered(due, ok));
    return Effect().noReply();
  }

  private ReplyEffect<RefundEvent, RefundState> onWakeupRegistered(
      RefundState state, WakeupRegistered w) {
    wakeup.written(w.dueAt(), w.ok());
    List<WithReply> waiting = new ArrayList<>(waitingForWakeup);
    waitingForWakeup.clear();
    for (WithReply c : waiting) {
      if (w.ok()) {
        context.getSelf().tell(c); // decided afresh, now that a wake-up covers it
      } else {
        c.replyTo().tell(new RefundReply.Unavailable("the journal database is unreachable"));
      }
    }
    return Effect().noReply();
  }

  /** Persists what was decided and answers with the refund after it; an approval is credited. */
  private ReplyEffect<RefundEvent, RefundState> reply(
      RefundState state, WithReply command, RefundRules.Decision d) {
    if (d instanceof RefundRules.Reject r) {
      return Effect().reply(command.replyTo(), new RefundReply.Rejected(r.reason(), r.detail()));
    }
    RefundRules.Accept a = (RefundRules.Accept) d;
    if (a.events().isEmpty()) {
      return Effect()
          .reply(command.replyTo(), new RefundReply.Accepted(state.view(refundId), a.replayed()));
    }
    return Effect()
        .persist(a.events())
        .thenRun(this::creditIfOwed)
        .thenReply(command.replyTo(), s -> new RefundReply.Accepted(s.view(refundId), false));
  }

  private void creditIfOwed(RefundState s) {
    if (s.creditOwed()) {
      credit(s);
    }
  }

  // ---- the credit ---------------------------------------------------------------------------

  /** Asks the account for the refund's credit, with the refund id as its transaction id. */
  private void credit(RefundState state) {
    if (crediting) {
      return;
    }
    crediting = true;
    attempt = 0;
    askAccount(state);
  }

  private void askAccount(RefundState state) {
    attempt++;
    RefundClaim claim = state.claim();
    Map<String, String> metadata =
        Map.of(
            "claimId",
            claim.claimId(),
            "leadId",
            claim.leadId(),
            "refundId",
            refundId,
            "reason",
            "refund");
    context.ask(
        AccountReply.class,
        accounts.account(claim.tradieId()),
        settings.askTimeout(),
        replyTo ->
            new AccountCommand.Refund(
                refundId,
                state.amount(),
                claim.spent(),
                settings.refunds().creditTtl(),
                metadata,
                replyTo),
        (reply, failure) -> new CreditAnswered(reply, failure == null ? null : failure.toString()));
  }

  private ReplyEffect<RefundEvent, RefundState> onCreditAnswered(
      RefundState state, CreditAnswered answered) {
    if (!crediting) {
      return Effect().noReply(); // an answer meant for an incarnation before a restart
    }
    AccountReply reply = answered.reply();
    if (reply instanceof AccountReply.Accepted accepted) {
      crediting = false;
      List<RefundEvent> events = RefundRules.credited(state, accepted.balanceAfter(), now());
      if (events.isEmpty()) {
        answerCredited(state);
        return Effect().noReply();
      }
      return Effect().persist(events).thenRun(this::answerCredited).thenNoReply();
    }
    if (reply instanceof AccountReply.Rejected r) {
      // A refusal is permanent for this refund (e.g. the account is at its live-grant bound): the
      // credit stays owed, the audit shows it, and the wake-up asks again later.
      log.error("refund {} credit refused by the account: {} {}", refundId, r.reason(), r.detail());
      return giveUp(state);
    }
    return retryOrGiveUp(state);
  }

  private ReplyEffect<RefundEvent, RefundState> retryCredit(RefundState state) {
    if (crediting && state.creditOwed()) {
      askAccount(state);
    }
    return Effect().noReply();
  }

  private ReplyEffect<RefundEvent, RefundState> retryOrGiveUp(RefundState state) {
    if (attempt >= creditAttemptsMax) {
      return giveUp(state);
    }
    // Backoff doubles from 100 ms so a struggling account or database is not hammered.
    timers.startSingleTimer(new RetryCredit(), Duration.ofMillis(100L << Math.min(attempt, 6)));
    return Effect().noReply();
  }

  /** Left to the durable wake-up, which asks again; callers waiting for it are told so. */
  private ReplyEffect<RefundEvent, RefundState> giveUp(RefundState state) {
    crediting = false;
    List<org.apache.pekko.actor.typed.ActorRef<RefundReply>> waiting =
        new ArrayList<>(waitingForCredit);
    waitingForCredit.clear();
    waiting.forEach(
        w -> w.tell(new RefundReply.Unavailable("the credit is owed and will be retried")));
    return Effect().noReply();
  }

  private void answerCredited(RefundState s) {
    List<org.apache.pekko.actor.typed.ActorRef<RefundReply>> waiting =
        new ArrayList<>(waitingForCredit);
    waitingForCredit.clear();
    waiting.forEach(w -> w.tell(new RefundReply.Accepted(s.view(refundId), false)));
  }

  private ReplyEffect<RefundEvent, RefundState> onWakeUp(RefundState state, WakeUp w) {
    if (!state.creditOwed()) {
      wakeup.settled(null);
      return Effect().reply(w.replyTo(), new WakeupReply(null));
    }
    credit(state);
    Instant next = now().plus(settings.claimResumeDelay());
    wakeup.settled(next);
    return Effect().reply(w.replyTo(), new WakeupReply(next));
  }

  private Instant now() {
    return clock.instant();
  }
}
