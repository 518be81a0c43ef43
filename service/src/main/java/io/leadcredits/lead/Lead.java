package io.leadcredits.lead;

import io.leadcredits.Limits;
import io.leadcredits.Rejection;
import io.leadcredits.Settings;
import io.leadcredits.account.AccountRefs;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.claim.ClaimResult;
import io.leadcredits.gauges.EntityGauges;
import io.leadcredits.lead.LeadCommand.Claim;
import io.leadcredits.lead.LeadCommand.Close;
import io.leadcredits.lead.LeadCommand.Create;
import io.leadcredits.lead.LeadCommand.Get;
import io.leadcredits.lead.LeadCommand.PaymentRefused;
import io.leadcredits.lead.LeadCommand.PaymentTaken;
import io.leadcredits.lead.LeadCommand.PaymentUnknown;
import io.leadcredits.lead.LeadCommand.Quote;
import io.leadcredits.lead.LeadCommand.TakeWaiting;
import io.leadcredits.lead.LeadCommand.VoidLead;
import io.leadcredits.lead.LeadCommand.VoidRefundAnswered;
import io.leadcredits.lead.LeadCommand.WakeUp;
import io.leadcredits.lead.LeadCommand.WakeupRegistered;
import io.leadcredits.lead.LeadCommand.WithReply;
import io.leadcredits.lead.LeadDecision.Accept;
import io.leadcredits.lead.LeadDecision.AlreadyWon;
import io.leadcredits.lead.LeadDecision.Confirm;
import io.leadcredits.lead.LeadDecision.OnClaim;
import io.leadcredits.lead.LeadDecision.OnLead;
import io.leadcredits.lead.LeadDecision.OnPayment;
import io.leadcredits.lead.LeadDecision.Reject;
import io.leadcredits.lead.LeadDecision.Release;
import io.leadcredits.lead.LeadDecision.TakeSlot;
import io.leadcredits.lead.LeadDecision.TooExpensive;
import io.leadcredits.lead.LeadDecision.Underway;
import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadEvent.SlotReleased;
import io.leadcredits.lead.LeadState.Confirmed;
import io.leadcredits.lead.LeadState.Pending;
import io.leadcredits.logging.Mdc;
import io.leadcredits.metrics.ClaimResultLabel;
import io.leadcredits.metrics.Metrics;
import io.leadcredits.pricing.Price;
import io.leadcredits.pricing.PriceSource;
import io.leadcredits.pricing.QuoteReply;
import io.leadcredits.wakeup.DurableWakeup;
import io.leadcredits.wakeup.WakeupReply;
import io.leadcredits.wakeup.WakeupStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job lead and the claims on it. One live instance per lead id across the cluster. Guarantees: at
 * most maxClaims confirmed claims, no tradie twice, and every confirmed claim paid exactly once. A
 * claim holds a slot (persisted) before it is paid, so the lead never oversells; a refused payment
 * gives the slot back. The pending slot is the claim's durable record: after a crash between any
 * two steps the lead (woken by recovery or by the durable wake-up) starts the payment again, and
 * the account applies the claim's debit at most once. Rejections of a full or closed lead come from
 * memory, without touching the database.
 *
 * <p>What each command decides is {@link LeadRules}'; this class is the shell around it: the rush's
 * shared write, wake-ups, claim processes, snapshots, metrics and replies.
 */
public final class Lead
    extends EventSourcedBehaviorWithEnforcedReplies<LeadCommand, LeadEvent, LeadState> {

  public static final EntityTypeKey<LeadCommand> ENTITY_KEY =
      EntityTypeKey.create(LeadCommand.class, "Lead");

  public static final String WAKEUP_TYPE = "lead";

  /** Claims waiting for the durable wake-up to be written; beyond this they are refused. */
  private static final int waitingClaimsMax = Limits.leadClaimsWaitingMax;

  /** How often a claim process asks the account before leaving the claim to the wake-up. */
  private static final int paymentAttemptsMax = Limits.paymentAttemptsMax;

  private static final Logger log = LoggerFactory.getLogger(Lead.class);

  private final ActorContext<LeadCommand> context;
  private final String leadId;
  private final LeadRules rules;
  private final Settings settings;
  private final Clock clock;
  private final AccountRefs accounts;
  private final Metrics metrics;
  private final EntityGauges.Queue queue;
  private final PriceSource prices;
  private final VoidRefunds voidRefunds;

  // Not state: this incarnation's processes, waiting callers and knowledge of its wake-up.
  /**
   * The answers to the hundreds of tradies who arrive after the last slot went: one instance per
   * refusal, so the HTTP layer renders each once (see {@code Replies.claim}).
   */
  private final Map<Rejection, ClaimReply.Rejected> refusals = new EnumMap<>(Rejection.class);

  private final Map<String, ActorRef<ClaimProcess.Message>> processes = new HashMap<>();
  private final Map<String, List<ActorRef<ClaimReply>>> waiters = new HashMap<>();
  private final ArrayDeque<Claim> waitingClaims = new ArrayDeque<>();
  private int waiterCount;
  private final DurableWakeup wakeup;
  private boolean takeSent;

  /** Voids waiting for the durable wake-up that will finish their refunds after any crash. */
  private final List<VoidLead> waitingVoids = new ArrayList<>();

  /** The claims of a voided lead whose refund this incarnation has asked for. */
  private final java.util.Set<String> refunding = new java.util.HashSet<>();

  /** The entity on its own, as the entity tests drive it. */
  public static Behavior<LeadCommand> create(
      String leadId, Settings settings, Clock clock, WakeupStore wakeups, AccountRefs accounts) {
    return create(leadId, settings, clock, wakeups, accounts, Metrics.none(), PriceSource.NONE);
  }

  public static Behavior<LeadCommand> create(
      String leadId,
      Settings settings,
      Clock clock,
      WakeupStore wakeups,
      AccountRefs accounts,
      Metrics metrics) {
    return create(leadId, settings, clock, wakeups, accounts, metrics, PriceSource.NONE);
  }

  /** The entity priced by {@code prices}, as the entity tests of prices drive it. */
  public static Behavior<LeadCommand> create(
      String leadId,
      Settings settings,
      Clock clock,
      WakeupStore wakeups,
      AccountRefs accounts,
      PriceSource prices) {
    return create(leadId, settings, clock, wakeups, accounts, Metrics.none(), prices);
  }

  public static Behavior<LeadCommand> create(
      String leadId,
      Settings settings,
      Clock clock,
      WakeupStore wakeups,
      AccountRefs accounts,
      Metrics metrics,
      PriceSource prices) {
    return create(leadId, settings, clock, wakeups, accounts, metrics, prices, VoidRefunds.NONE);
  }

  public static Behavior<LeadCommand> create(
      String leadId,
      Settings settings,
      Clock clock,
      WakeupStore wakeups,
      AccountRefs accounts,
      Metrics metrics,
      PriceSource prices,
      VoidRefunds voidRefunds) {
    return metrics
        .leads()
        .tracked(
            leadId,
            LeadCommand.class,
            queue ->
                Behaviors.setup(
                    ctx ->
                        new Lead(
                            ctx,
                            leadId,
                            settings,
                            clock,
                            wakeups,
                            accounts,
                            queue,
                            metrics,
                            prices,
                            voidRefunds)));
  }

  public static PersistenceId persistenceId(String leadId) {
    return PersistenceId.of(ENTITY_KEY.name(), leadId);
  }

  private Lead(
      ActorContext<LeadCommand> context,
      String leadId,
      Settings settings,
      Clock clock,
      WakeupStore wakeups,
      AccountRefs accounts,
      EntityGauges.Queue queue,
      Metrics metrics,
      PriceSource prices,
      VoidRefunds voidRefunds) {
    super(
        persistenceId(leadId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.context = context;
    this.leadId = leadId;
    this.rules = new LeadRules(leadId);
    this.settings = settings;
    this.clock = clock;
    this.wakeup = new DurableWakeup(wakeups, WAKEUP_TYPE, leadId);
    this.accounts = accounts;
    this.metrics = metrics;
    this.queue = queue;
    this.prices = prices;
    this.voidRefunds = voidRefunds;
  }

  @Override
  public LeadState emptyState() {
    return LeadState.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEveryEvents(), 2);
  }

  @Override
  public SignalHandler<LeadState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::recovered)
        .build();
  }

  /**
   * Runs after the first recovery and after every restart by a failed write. A restart keeps this
   * object but not its children or the messages it was waiting for, so what it knew of its claim
   * processes, its wake-up and its queued {@link TakeWaiting} is forgotten here. A lead that comes
   * back with slots still pending finishes those claims now; claims that were queued take their
   * slots once a wake-up is written again; claims whose slot write was lost are answered unknown
   * (asked again, they are decided afresh).
   */
  private void recovered(LeadState state) {
    processes.clear();
    wakeup.forget();
    takeSent = false;
    refunding.clear();
    state.pending().values().forEach(p -> startPayment(state, p));
    startRefunds(state);
    waiters.keySet().stream()
        .filter(claimId -> state.pendingByClaim(claimId).isEmpty())
        .toList()
        .forEach(
            claimId ->
                answer(
                    claimId,
                    new ClaimReply.Pending(
                        null, "the lead restarted before the claim was written")));
    if (!waitingClaims.isEmpty() || !waitingVoids.isEmpty()) {
      registerWakeup();
    }
  }

  @Override
  public CommandHandlerWithReply<LeadCommand, LeadEvent, LeadState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Get.class, this::onGet)
        .onCommand(Close.class, this::onClose)
        .onCommand(Claim.class, this::onClaim)
        .onCommand(Quote.class, this::onQuote)
        .onCommand(WakeupRegistered.class, this::onWakeupRegistered)
        .onCommand(TakeWaiting.class, this::onTakeWaiting)
        .onCommand(PaymentTaken.class, this::onPaymentTaken)
        .onCommand(PaymentRefused.class, this::onPaymentRefused)
        .onCommand(PaymentUnknown.class, this::onPaymentUnknown)
        .onCommand(WakeUp.class, this::onWakeUp)
        .onCommand(VoidLead.class, this::onVoid)
        .onCommand(VoidRefundAnswered.class, this::onVoidRefundAnswered)
        .build();
  }

  @Override
  public EventHandler<LeadState, LeadEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(LeadState::apply);
  }

  // ---- publishing and reading -------------------------------------------------------------

  private ReplyEffect<LeadEvent, LeadState> onCreate(LeadState state, Create c) {
    Instant now = clock.instant();
    OnLead decision = rules.create(state, c.terms(), prices.prices().any(), now);
    if (decision instanceof Accept a && !a.events().isEmpty()) {
      // A lead is rushed the moment it drops: its wake-up is written now, beside the creation, so
      // the first claims need not wait for it.
      registerWakeup();
    }
    return reply(state, c, decision, now);
  }

  private ReplyEffect<LeadEvent, LeadState> onGet(LeadState state, Get g) {
    return reply(state, g, rules.read(state), clock.instant());
  }

  private ReplyEffect<LeadEvent, LeadState> onClose(LeadState state, Close c) {
    Instant now = clock.instant();
    return reply(state, c, rules.close(state, now), now);
  }

  /** Persists what was accepted, then answers with the lead as it stands after it. */
  private ReplyEffect<LeadEvent, LeadState> reply(
      LeadState state, WithReply<LeadReply> command, OnLead decision, Instant now) {
    if (decision instanceof Reject r) {
      return Effect().reply(command.replyTo(), new LeadReply.Rejected(r.rejection(), r.detail()));
    }
    Accept accepted = (Accept) decision;
    if (accepted.events().isEmpty()) {
      return Effect()
          .reply(
              command.replyTo(),
              new LeadReply.Accepted(state.view(leadId, now), accepted.replayed()));
    }
    return Effect()
        .persist(accepted.events())
        .thenReply(
            command.replyTo(),
            s -> new LeadReply.Accepted(s.view(leadId, now), accepted.replayed()));
  }

  // ---- claiming -----------------------------------------------------------------------------

  private ReplyEffect<LeadEvent, LeadState> onClaim(LeadState state, Claim c) {
    OnClaim decision = rules.claim(state, ask(c), prices.prices(), clock.instant());
    if (decision instanceof TakeSlot) {
      // Decided again when the queue takes its slots, against the state of that moment.
      return queueForSlot(c);
    }
    if (decision instanceof Underway u) {
      join(c, u);
      startPayment(state, u.slot());
      return Effect().noReply();
    }
    return Effect().reply(c.replyTo(), answerNow(decision));
  }

  /**
   * A claim that may take a slot joins the queue; the queue takes its slots in one write once a
   * durable wake-up exists for this lead, so a claim interrupted by a crash is always finished. The
   * claims of a rush arrive together: all that are in the mailbox before {@link TakeWaiting} share
   * its write, and the losers among them are answered without one.
   */
  private ReplyEffect<LeadEvent, LeadState> queueForSlot(Claim c) {
    if (waitingClaims.size() >= waitingClaimsMax) {
      metrics.claim(ClaimResultLabel.FAILED);
      return Effect()
          .reply(c.replyTo(), new ClaimReply.Overloaded("lead " + leadId + " is overloaded"));
    }
    waitingClaims.add(c);
    updateQueue();
    if (!wakeup.known()) {
      registerWakeup();
    } else if (!takeSent) {
      takeSent = true;
      context.getSelf().tell(new TakeWaiting());
    }
    return Effect().noReply();
  }

  private void registerWakeup() {
    if (!wakeup.known()) {
      Instant due = clock.instant().plus(settings.claimResumeDelay());
      wakeup.write(context, due, ok -> new WakeupRegistered(due, ok));
    }
  }

  private ReplyEffect<LeadEvent, LeadState> onWakeupRegistered(
      LeadState state, WakeupRegistered w) {
    wakeup.written(w.dueAt(), w.ok());
    List<VoidLead> voids = new ArrayList<>(waitingVoids);
    waitingVoids.clear();
    for (VoidLead v : voids) {
      if (w.ok()) {
        context.getSelf().tell(v); // decided afresh, now that a wake-up covers its refunds
      } else {
        v.replyTo().tell(new LeadReply.Unavailable("the journal database is unreachable"));
      }
    }
    if (!w.ok()) {
      List<Claim> refused = new ArrayList<>(waitingClaims);
      waitingClaims.clear();
      updateQueue();
      refused.forEach(
          c -> {
            metrics.claim(ClaimResultLabel.FAILED);
            c.replyTo().tell(new ClaimReply.Pending(null, "the journal database is unreachable"));
          });
      return Effect().noReply();
    }
    return takeWaiting(state);
  }

  private ReplyEffect<LeadEvent, LeadState> onTakeWaiting(LeadState state, TakeWaiting t) {
    takeSent = false;
    if (!wakeup.known()) {
      // The wake-up was settled since the claims queued; they wait for a new one.
      if (!waitingClaims.isEmpty()) {
        registerWakeup();
      }
      return Effect().noReply();
    }
    return takeWaiting(state);
  }

  /** Decides every queued claim against the state as the batch's slots fold into it. */
  private ReplyEffect<LeadEvent, LeadState> takeWaiting(LeadState state) {
    List<Claim> batch = new ArrayList<>(waitingClaims);
    waitingClaims.clear();
    updateQueue();
    // The batch is priced by the list in force now: each claim by exactly one version, and the
    // slots taken before it in the batch count as its competition.
    List<OnClaim> decisions =
        rules.claimAll(
            state, batch.stream().map(this::ask).toList(), prices.prices(), clock.instant());
    List<LeadEvent> taken = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Claim c = batch.get(i);
      OnClaim decision = decisions.get(i);
      if (decision instanceof TakeSlot t) {
        waitFor(t.event().claimId(), c.replyTo());
        taken.add(t.event());
      } else if (decision instanceof Underway u) {
        join(c, u);
      } else {
        c.replyTo().tell(answerNow(decision));
      }
    }
    if (taken.isEmpty()) {
      return Effect().noReply();
    }
    return Effect()
        .persist(taken)
        .thenRun((LeadState s) -> s.pending().values().forEach(p -> startPayment(s, p)))
        .thenNoReply();
  }

  /**
   * The claim is won once its debit is durable: the slot it holds is durable too, and nothing but a
   * refused payment gives a slot back, while a repeat of the debit is answered with this same
   * acceptance. So the callers are answered now and the confirmation is written behind the answer;
   * if that write is lost, the lead restarts with the slot pending and confirms it again without a
   * second charge. Commands sent meanwhile wait for the write, so a read after the answer sees the
   * claim confirmed.
   */
  private ReplyEffect<LeadEvent, LeadState> onPaymentTaken(LeadState state, PaymentTaken paid) {
    processes.remove(paid.claimId());
    OnPayment decision = rules.confirm(state, paid.claimId(), paid.balanceAfter(), clock.instant());
    if (!(decision instanceof Confirm confirm)) {
      // A late report from an earlier process of the same claim: its slot was settled already.
      return Effect().noReply();
    }
    ClaimConfirmed confirmed = confirm.event();
    if (state.voided() != null) {
      // The debit was under way when the lead was voided: it is confirmed, so that the walk over
      // the confirmed claims refunds it, and its caller is told the lead is closed.
      answer(
          confirmed.claimId(),
          new ClaimReply.Rejected(
              Rejection.LEAD_CLOSED,
              "lead " + leadId + " was voided; the payment taken is refunded"));
      return Effect().persist(confirmed).thenRun(this::startRefunds).thenNoReply();
    }
    answer(
        confirmed.claimId(),
        new ClaimReply.Claimed(
            new ClaimResult(
                confirmed.claimId(),
                leadId,
                confirmed.tradieId(),
                confirmed.creditsUsed(),
                confirmed.balanceAfter(),
                confirmed.pricingVersion()),
            false));
    // Counted once its confirmation is durable: after a lost write the restarted lead pays the
    // claim again (the account answers with the first acceptance) and counts it then.
    return Effect()
        .persist(confirmed)
        .thenRun(
            () -> {
              metrics.claim(ClaimResultLabel.WON);
              logClaim(
                  confirmed.claimId(),
                  confirmed.tradieId(),
                  "won, paid {} credits",
                  confirmed.creditsUsed());
            })
        .thenNoReply();
  }

  private ReplyEffect<LeadEvent, LeadState> onPaymentRefused(
      LeadState state, PaymentRefused refused) {
    processes.remove(refused.claimId());
    OnPayment decision = rules.release(state, refused.claimId(), refused.reason(), clock.instant());
    if (!(decision instanceof Release release)) {
      return Effect().noReply();
    }
    SlotReleased released = release.event();
    return Effect()
        .persist(released)
        .thenRun(
            () -> {
              metrics.claim(ClaimResultLabel.of(refused.reason()));
              logClaim(
                  released.claimId(),
                  released.tradieId(),
                  "refused by the account: {}",
                  refused.reason());
              answer(
                  released.claimId(), new ClaimReply.Rejected(refused.reason(), refused.detail()));
            })
        .thenNoReply();
  }

  private ReplyEffect<LeadEvent, LeadState> onPaymentUnknown(
      LeadState state, PaymentUnknown unknown) {
    processes.remove(unknown.claimId());
    state
        .pendingByClaim(unknown.claimId())
        .ifPresent(
            p ->
                logClaim(
                    p.claimId(),
                    p.tradieId(),
                    "payment outcome unknown, left pending: {}",
                    unknown.detail()));
    answer(
        unknown.claimId(),
        new ClaimReply.Pending(unknown.claimId(), "payment outcome unknown: " + unknown.detail()));
    return Effect().noReply();
  }

  private ReplyEffect<LeadEvent, LeadState> onWakeUp(LeadState state, WakeUp w) {
    state.pending().values().forEach(p -> startPayment(state, p));
    startRefunds(state);
    if (state.pending().isEmpty()
        && waitingClaims.isEmpty()
        && waitingVoids.isEmpty()
        && state.refundsOwed().isEmpty()) {
      wakeup.settled(null);
      return Effect().reply(w.replyTo(), new WakeupReply(null));
    }
    Instant next = clock.instant().plus(settings.claimResumeDelay());
    wakeup.settled(next);
    return Effect().reply(w.replyTo(), new WakeupReply(next));
  }

  // ---- voiding ------------------------------------------------------------------------------

  /**
   * The void is written only once a durable wake-up exists for this lead, so its refunds are
   * finished after any crash (as a pending slot's payment is); then each confirmed claim's refund
   * is asked for, and its completion recorded.
   */
  private ReplyEffect<LeadEvent, LeadState> onVoid(LeadState state, VoidLead v) {
    Instant now = clock.instant();
    OnLead decision = rules.voidLead(state, v.reason(), v.by(), now);
    if (decision instanceof Accept a && !a.events().isEmpty()) {
      if (!wakeup.known()) {
        waitingVoids.add(v);
        registerWakeup();
        return Effect().noReply();
      }
      return Effect()
          .persist(a.events())
          .thenRun(this::startRefunds)
          .thenReply(v.replyTo(), s -> new LeadReply.Accepted(s.view(leadId, now), false));
    }
    return reply(state, v, decision, now);
  }

  /** Asks for the refund of every claim owed one that is not being asked for already. */
  private void startRefunds(LeadState state) {
    if (state.voided() == null) {
      return;
    }
    String by = state.voided().by();
    for (Confirmed c : state.refundsOwed()) {
      if (refunding.add(c.claimId())) {
        context.pipeToSelf(
            voidRefunds.refund(leadId, c, by),
            (ok, failure) ->
                new VoidRefundAnswered(
                    c.claimId(),
                    Boolean.TRUE.equals(ok),
                    failure == null ? null : failure.toString()));
      }
    }
  }

  private ReplyEffect<LeadEvent, LeadState> onVoidRefundAnswered(
      LeadState state, VoidRefundAnswered answered) {
    if (!refunding.remove(answered.claimId())) {
      return Effect().noReply(); // meant for an incarnation before a restart
    }
    if (!answered.credited()) {
      // Left to the durable wake-up, which keeps coming while a refund is owed.
      log.warn(
          "lead {}: refund of claim {} not confirmed yet: {}",
          leadId,
          answered.claimId(),
          answered.detail());
      return Effect().noReply();
    }
    List<LeadEvent> done = rules.voidRefunded(state, answered.claimId(), clock.instant());
    if (done.isEmpty()) {
      return Effect().noReply();
    }
    return Effect().persist(done).thenNoReply();
  }

  /**
   * What a claim made now would cost: the claim's own ladder, priced as it would be, without taking
   * anything. A tradie who holds a claim is told what it paid.
   */
  private ReplyEffect<LeadEvent, LeadState> onQuote(LeadState state, Quote q) {
    OnClaim decision =
        rules.claim(
            state,
            new LeadRules.Ask(q.tradieId(), prices.tierOf(q.tradieId()), Long.MAX_VALUE),
            prices.prices(),
            clock.instant());
    QuoteReply reply;
    if (decision instanceof TakeSlot t) {
      reply = new QuoteReply.Quoted(leadId, q.tradieId(), t.price());
    } else if (decision instanceof AlreadyWon w) {
      reply =
          new QuoteReply.Quoted(
              leadId, q.tradieId(), paid(w.claim().creditsUsed(), w.claim().pricingVersion()));
    } else if (decision instanceof Underway u) {
      reply =
          new QuoteReply.Quoted(
              leadId, q.tradieId(), paid(u.slot().creditCost(), u.slot().pricingVersion()));
    } else {
      Reject r = (Reject) decision;
      reply = new QuoteReply.Refused(r.rejection(), r.detail());
    }
    return Effect().reply(q.replyTo(), reply);
  }

  private static Price paid(long creditCost, long pricingVersion) {
    return new Price(
        creditCost,
        pricingVersion,
        List.of(new Price.Step("claimed", BigDecimal.valueOf(creditCost))));
  }

  // ---- helpers ------------------------------------------------------------------------------

  private LeadRules.Ask ask(Claim c) {
    return new LeadRules.Ask(c.tradieId(), prices.tierOf(c.tradieId()), c.maxCost());
  }

  private void startPayment(LeadState state, Pending p) {
    if (processes.containsKey(p.claimId())) {
      return;
    }
    ClaimProcess.Job job =
        new ClaimProcess.Job(
            p.claimId(),
            leadId,
            p.tradieId(),
            p.creditCost(),
            settings.askTimeout(),
            paymentAttemptsMax);
    ActorRef<ClaimProcess.Message> process =
        context.spawn(
            Behaviors.supervise(ClaimProcess.create(job, accounts, context.getSelf()))
                .onFailure(SupervisorStrategy.restart()),
            "claim-" + p.claimId() + "-" + System.nanoTime());
    processes.put(p.claimId(), process);
  }

  private void waitFor(String claimId, ActorRef<ClaimReply> replyTo) {
    waiters.computeIfAbsent(claimId, id -> new ArrayList<>()).add(replyTo);
    waiterCount++;
    updateQueue();
  }

  private void answer(String claimId, ClaimReply reply) {
    List<ActorRef<ClaimReply>> waiting = waiters.remove(claimId);
    if (waiting != null) {
      waiting.forEach(w -> w.tell(reply));
      waiterCount -= waiting.size();
      updateQueue();
    }
  }

  /** Claims in this lead waiting for their answer: for the wake-up, or for their payment. */
  private void updateQueue() {
    queue.set(waitingClaims.size() + waiterCount);
  }

  /** A claim by a tradie whose claim is being paid waits for that payment's outcome. */
  private void join(Claim c, Underway underway) {
    metrics.claim(ClaimResultLabel.DUPLICATE);
    waitFor(underway.slot().claimId(), c.replyTo());
  }

  /** Counts and renders a claim answered at once, without a write: a repeat, or a refusal. */
  private ClaimReply answerNow(OnClaim decision) {
    if (decision instanceof AlreadyWon won) {
      metrics.claim(ClaimResultLabel.DUPLICATE);
      return new ClaimReply.Claimed(result(won.claim()), true);
    }
    if (decision instanceof TooExpensive tooExpensive) {
      metrics.claim(ClaimResultLabel.PRICE_ABOVE_MAX);
      Price price = tooExpensive.price();
      return new ClaimReply.PriceAboveMax(
          price,
          tooExpensive.maxCost(),
          "lead "
              + leadId
              + " costs "
              + price.creditCost()
              + " credits now, above maxCost "
              + tooExpensive.maxCost());
    }
    Reject refused = (Reject) decision;
    metrics.claim(ClaimResultLabel.of(refused.rejection()));
    ClaimReply.Rejected reply = refusals.get(refused.rejection());
    if (reply == null || !reply.detail().equals(refused.detail())) {
      reply = new ClaimReply.Rejected(refused.rejection(), refused.detail());
      refusals.put(refused.rejection(), reply);
    }
    return reply;
  }

  private void logClaim(String claimId, String tradieId, String message, Object detail) {
    if (log.isDebugEnabled()) {
      try (Mdc ids =
          Mdc.of(
              Mdc.LEAD_ID, leadId,
              Mdc.CLAIM_ID, claimId,
              Mdc.ACCOUNT_ID, tradieId,
              Mdc.TRANSACTION_ID, claimId)) {
        log.debug("claim " + message, detail);
      }
    }
  }

  private ClaimResult result(Confirmed c) {
    return new ClaimResult(
        c.claimId(), leadId, c.tradieId(), c.creditsUsed(), c.balanceAfter(), c.pricingVersion());
  }
}
