package io.leadcredits.account;

import io.leadcredits.Limits;
import io.leadcredits.Settings;
import io.leadcredits.account.AccountCommand.Batch;
import io.leadcredits.account.AccountCommand.Capture;
import io.leadcredits.account.AccountCommand.Credit;
import io.leadcredits.account.AccountCommand.Debit;
import io.leadcredits.account.AccountCommand.Get;
import io.leadcredits.account.AccountCommand.LookedUp;
import io.leadcredits.account.AccountCommand.Refund;
import io.leadcredits.account.AccountCommand.Release;
import io.leadcredits.account.AccountCommand.Request;
import io.leadcredits.account.AccountCommand.Reserve;
import io.leadcredits.account.AccountCommand.SetAlerts;
import io.leadcredits.account.AccountCommand.Unstash;
import io.leadcredits.account.AccountCommand.VoidGrant;
import io.leadcredits.account.AccountCommand.WakeUp;
import io.leadcredits.account.AccountCommand.WakeupRegistered;
import io.leadcredits.account.AccountCommand.Written;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.account.AccountReply.Accepted;
import io.leadcredits.account.AccountReply.Rejected;
import io.leadcredits.account.AccountReply.Unavailable;
import io.leadcredits.account.AccountState.HoldEnd;
import io.leadcredits.account.AccountState.TxRecord;
import io.leadcredits.logging.Mdc;
import io.leadcredits.wakeup.DurableWakeup;
import io.leadcredits.wakeup.WakeupReply;
import io.leadcredits.wakeup.WakeupStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tradie's credit account. One live instance per account id across the cluster (sharding), one
 * command at a time, every change an event. Guarantees: balance, reserved and available never go
 * negative; a transaction id is applied at most once (a repeat is answered, not applied; the same
 * id with another payload is refused); a hold ends exactly once, by capture, release or expiry; a
 * hold past its expiry never counts against available, and its EXPIRE is recorded even if the
 * entity was stopped meanwhile, because a durable wake-up is written before the hold's event. The
 * same goes for grants: credit past its grant's expiry never pays, and an expiring top-up is
 * written only once a durable wake-up covers its expiry, so its GRANT_EXPIRED is recorded on time.
 *
 * <p>Memory is bounded whatever the traffic: the account keeps the newest transaction ids in memory
 * (the setting {@code account.transactions-in-memory-max}) and the older ones of the idempotency
 * window in a filter ({@link TransactionFilter}). A command whose id the filter may hold waits
 * while its id is looked up in the journal's index ({@link TransactionLookup}), beside the other
 * commands, which go on; it is then decided with what the journal holds, as if memory had it.
 *
 * <p>In the service the entity sits behind an {@link AccountGate} and receives its commands as
 * {@link Batch}es: each command is decided in order against the state the previous ones left, and
 * the events of the whole batch are written in one journal write. Replies go out only after that
 * write is durable. Commands sent directly (as the entity tests do) are a batch of one.
 */
public final class Account
    extends EventSourcedBehaviorWithEnforcedReplies<AccountCommand, AccountEvent, AccountState> {

  public static final EntityTypeKey<AccountCommand> ENTITY_KEY =
      EntityTypeKey.create(AccountCommand.class, "Account");

  /** The entity type name in the wake-up table. */
  public static final String WAKEUP_TYPE = "account";

  /**
   * Reservations and expiring top-ups waiting for their wake-up to be written; beyond this they are
   * refused.
   */
  static final int waitingReservesMax = Limits.reservationsWaitingMax;

  /** One instance for every account: a strategy is immutable, and one per account is heap. */
  private static final BackoffSupervisorStrategy RESTART_BACKOFF =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);

  private static final Logger log = LoggerFactory.getLogger(Account.class);

  /** Look-up generations, unique across incarnations of every account. */
  private static final AtomicLong generations = new AtomicLong();

  private final String accountId;
  private final Settings settings;
  private final Clock clock;
  private final TransactionLookup lookup;
  private final ActorContext<AccountCommand> context;
  private final boolean gated; // false when driven directly, as the entity tests do
  private final SnapshotWriter snapshots;
  private final Serialization serialization;
  private final AccountMetrics metrics;

  /** No remembered transaction is old enough to forget before this (see {@link #pruned}). */
  private Instant nextPruneAt = Instant.MIN;

  private long lastSnapshotSequenceNr;

  // Transactions of the write in flight, by type, so a write lost to a restart counts as failed.
  private int[] writing;

  // The write in flight's events and the states its decisions folded them into (one more: the
  // state before), so the event handler does not fold each event a second time. The fold is
  // pure, so the same event on the same state gives the same state; both are matched by identity,
  // and anything else (recovery, a state pruned in between) is folded afresh.
  private List<AccountEvent> foldedEvents = List.of();
  private List<AccountState> foldedStates = List.of();
  private int foldedAt;

  // Not state: what this incarnation knows of its durable wake-up. A restart by a failed write
  // keeps this object, so forgetWakeup() forgets it on every recovery.
  private final DurableWakeup wakeup;
  // Reservations and expiring top-ups waiting for their wake-up to be written.
  private List<Request> waitingForWakeup = List.of(); // immutable and shared while none wait

  // Not state either: commands waiting for their ids to be looked up in the journal, the ids being
  // looked up, and the answers for the write about to decide them. A restart answers the waiting
  // commands unavailable and moves to the next generation, so a late answer is ignored.
  private List<Request> awaitingLookup = List.of();
  private Set<String> lookingUp = Set.of();
  private Map<String, Optional<TxRecord>> lookedUp = Map.of();
  private long lookupGeneration;

  // Every reply of a batch shows the same state at the same instant: its view is built once.
  private AccountState viewState;
  private Instant viewNow;
  private AccountView view;

  /** The entity on its own, as the entity tests drive it. */
  public static Behavior<AccountCommand> create(
      String accountId, Settings settings, Clock clock, WakeupStore wakeups) {
    return create(
        accountId,
        settings,
        clock,
        wakeups,
        TransactionLookup.NONE,
        SnapshotWriter.INLINE,
        AccountMetrics.NONE,
        false);
  }

  /**
   * The entity behind its {@link AccountGate}: {@code gated} makes it tell the gate, which runs in
   * the same actor, when each batch is durable.
   */
  static Behavior<AccountCommand> create(
      String accountId,
      Settings settings,
      Clock clock,
      WakeupStore wakeups,
      TransactionLookup lookup,
      SnapshotWriter snapshots,
      AccountMetrics metrics,
      boolean gated) {
    // A failed write restarts the entity by itself (onPersistFailure, in the constructor); any
    // other failure (a rejected write, a broken assertion) would stop the actor, and the commands
    // waiting at its gate would get no answer at all. Restarted instead, it recovers from the
    // journal and tells the gate to go on; only the commands in flight get no answer (their
    // callers: unknown).
    return Behaviors.supervise(
            Behaviors.<AccountCommand>setup(
                ctx ->
                    new Account(
                        ctx, accountId, settings, clock, wakeups, lookup, snapshots, metrics,
                        gated)))
        .onFailure(Exception.class, RESTART_BACKOFF);
  }

  public static PersistenceId persistenceId(String accountId) {
    return PersistenceId.of(ENTITY_KEY.name(), accountId);
  }

  private Account(
      ActorContext<AccountCommand> context,
      String accountId,
      Settings settings,
      Clock clock,
      WakeupStore wakeups,
      TransactionLookup lookup,
      SnapshotWriter snapshots,
      AccountMetrics metrics,
      boolean gated) {
    super(persistenceId(accountId), RESTART_BACKOFF);
    this.lookup = lookup;
    this.lookupGeneration = generations.incrementAndGet();
    this.context = context;
    this.accountId = accountId;
    this.settings = settings;
    this.clock = clock;
    this.wakeup = new DurableWakeup(wakeups, WAKEUP_TYPE, accountId);
    this.gated = gated;
    this.snapshots = snapshots;
    this.serialization = SerializationExtension.get(Adapter.toClassic(context.getSystem()));
    this.metrics = metrics;
  }

  @Override
  public AccountState emptyState() {
    return AccountState.empty();
  }

  /** Each event's transaction id goes into the journal's manifest column, which is indexed. */
  @Override
  public org.apache.pekko.persistence.typed.EventAdapter<AccountEvent, ?> eventAdapter() {
    return TransactionIdAdapter.instance;
  }

  /**
   * Snapshots bound recovery time, but an account remembers a day of transaction ids, so its
   * snapshot grows with its traffic. The service writes its snapshots in the background ({@link
   * SnapshotWriter}); Pekko's own, which hold the account's commands while they are stored, only
   * serve the entity tests. Events are never deleted: they are the audit trail.
   */
  @Override
  public boolean shouldSnapshot(AccountState state, AccountEvent event, long sequenceNr) {
    return snapshots == SnapshotWriter.INLINE && markSnapshotIfDue(state, sequenceNr);
  }

  /** Whether a snapshot is due at {@code sequenceNr}; if so, it counts as taken from here on. */
  private boolean markSnapshotIfDue(AccountState state, long sequenceNr) {
    if (!snapshotDue(
        sequenceNr - lastSnapshotSequenceNr,
        snapshotWeight(state),
        settings.snapshotEveryEvents())) {
      return false;
    }
    lastSnapshotSequenceNr = sequenceNr;
    return true;
  }

  /**
   * Every {@code max(every, remembered / 2)} events. A snapshot writes every remembered id, so this
   * writes about two ids per event and a restart replays at most half as many events as its
   * snapshot holds. While every event adds an id, snapshots come at doubling sequence numbers; a
   * divisor of 1 or less would stop them for good after the first, and a larger one costs a hot
   * account throughput and p99 (docs/benchmarks.md, "2026-12-06").
   */
  static boolean snapshotDue(long eventsSinceLast, int remembered, int every) {
    return eventsSinceLast >= Math.max(every, remembered / 2);
  }

  /**
   * What a snapshot of the state costs to write, in remembered ids: those in memory, and the filter
   * at 32 bytes an id (about what an id in memory costs a snapshot once compressed).
   */
  static int snapshotWeight(AccountState state) {
    return state.transactions().size() + (int) (state.forgotten().bytes() / 32);
  }

  /** After a write: the state at its last event goes to the background writer when due. */
  private void snapshotInBackground(AccountState after) {
    long sequenceNr = lastSequenceNumber(context);
    if (snapshots != SnapshotWriter.INLINE && markSnapshotIfDue(after, sequenceNr)) {
      snapshots.save(persistenceId().id(), sequenceNr, after, serialization);
    }
  }

  @Override
  public SignalHandler<AccountState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              lastSnapshotSequenceNr = state.version();
              countLostWrite();
              forgetWakeup();
              forgetLookups();
              unstashAfterLostWrite();
              forgetFold();
              // After a restart (a failed write) the batch in flight is lost: its callers time
              // out and retry. The gate must not wait for it forever.
              tellGateWritten();
            })
        .build();
  }

  /**
   * Plain lambdas, not Pekko's handler builders: every resident account kept the builders' cases,
   * lambdas and lists, about 690 bytes between the two (docs/benchmarks.md, heap per account).
   */
  @Override
  public CommandHandlerWithReply<AccountCommand, AccountEvent, AccountState> commandHandler() {
    return (state, command) -> {
      if (command instanceof Batch b) {
        return write(state, b.commands(), true);
      }
      if (command instanceof WakeupRegistered w) {
        return onWakeupRegistered(state, w);
      }
      if (command instanceof LookedUp l) {
        // Only without a gate (the entity tests): the gate puts answers in its next batch.
        return write(state, List.of(l), false);
      }
      if (command == Written.INSTANCE || command == Unstash.INSTANCE) {
        return Effect().noReply();
      }
      return write(state, List.of(command), true);
    };
  }

  @Override
  public EventHandler<AccountState, AccountEvent> eventHandler() {
    return (state, event) -> inMemory(pruned(applied(state, event), event.entry().at()));
  }

  private AccountState applied(AccountState state, AccountEvent event) {
    if (foldedAt < foldedEvents.size()
        && foldedEvents.get(foldedAt) == event
        && foldedStates.get(foldedAt) == state) {
      return foldedStates.get(++foldedAt);
    }
    return state.apply(event);
  }

  /**
   * One {@link Unstash} per event of the write lost to the restart: enough to step past every stale
   * journal answer to it that is held back with the commands (see {@link Unstash}). Sent after
   * recovery, so they queue behind those answers; spare ones do nothing.
   */
  private void unstashAfterLostWrite() {
    for (int i = 0; i < foldedEvents.size(); i++) {
      context.getSelf().tell(Unstash.INSTANCE);
    }
  }

  private void forgetFold() {
    foldedEvents = List.of();
    foldedStates = List.of();
    foldedAt = 0;
  }

  /**
   * Forgets transactions older than the idempotency window, looking only every so often and only
   * once the oldest remembered one can have aged out: a hot account remembers a day of ids, and
   * scanning them all while none is old enough would be wasted on every thousandth event.
   */
  private AccountState pruned(AccountState state, Instant now) {
    if (!state.pruneDue() || now.isBefore(nextPruneAt)) {
      return state;
    }
    Duration window = settings.idempotencyWindow();
    AccountState kept = state.forgetBefore(now.minus(window));
    nextPruneAt = kept.oldestTransactionAt().map(at -> at.plus(window)).orElse(now);
    return kept;
  }

  /** The state with at most the configured number of transaction ids left in memory. */
  private AccountState inMemory(AccountState state) {
    int max = settings.transactionsInMemoryMax();
    return state.transactions().size() > max ? state.keepingInMemory(max) : state;
  }

  // ---- deciding and writing ------------------------------------------------------------------

  /**
   * What one command comes to: the events to persist (possibly none) and how to answer once they
   * are durable, given the state after the whole write.
   */
  private record Outcome(List<AccountEvent> events, Consumer<AccountState> answer) {}

  /**
   * Decides each command in order and writes all their events at once; then answers them all. A
   * journal's answer to a look-up ({@link LookedUp}) in the list stands for the commands that
   * waited for it, decided in its place. Only a batch from the gate tells the gate when it is
   * durable: the gate sends its next batch on that word, so a write of the account's own
   * (reservations that waited for their wake-up) telling it too would let a second batch in behind
   * every such write, and those would add up until every command went alone.
   */
  private ReplyEffect<AccountEvent, AccountState> write(
      AccountState state, List<AccountCommand> batch, boolean fromGate) {
    List<AccountCommand> commands = withLookedUp(batch);
    Instant now = now();
    AccountState folded = state;
    List<AccountEvent> events = new ArrayList<>();
    List<AccountState> states = new ArrayList<>();
    states.add(state);
    List<Consumer<AccountState>> answers = new ArrayList<>(commands.size());
    int[] writes = new int[TransactionType.values().length];
    Set<String> toLookUp = new LinkedHashSet<>();
    for (AccountCommand command : commands) {
      if (awaitsLookup(folded, command, toLookUp)) {
        continue; // answered once its id is looked up
      }
      Optional<Outcome> outcome = decide(folded, command, now);
      if (outcome.isEmpty()) {
        continue; // a reservation waiting for its wake-up: answered when that is written
      }
      for (AccountEvent e : outcome.get().events()) {
        folded = folded.apply(e);
        states.add(folded);
      }
      TransactionType type = typeOf(command);
      if (type != null && !outcome.get().events().isEmpty()) {
        writes[type.ordinal()]++;
      }
      events.addAll(outcome.get().events());
      answers.add(outcome.get().answer());
    }
    lookedUp = Map.of(); // used by these decisions only: what they wrote is in memory now
    lookUp(toLookUp);
    if (events.isEmpty()) {
      answers.forEach(a -> a.accept(state));
      forgetView();
      if (fromGate) {
        tellGateWritten();
      }
      return Effect().noReply();
    }
    writing = writes;
    foldedEvents = events;
    foldedStates = states;
    foldedAt = 0;
    long started = System.nanoTime();
    return Effect()
        .persist(events)
        .thenRun(
            (AccountState after) -> {
              writing = null;
              forgetFold();
              metrics.journalWrite(System.nanoTime() - started, answers.size());
              written(events);
              answers.forEach(a -> a.accept(after));
              forgetView();
              if (fromGate) {
                tellGateWritten();
              }
              snapshotInBackground(after);
            })
        .thenNoReply();
  }

  /** Counts each durable event as a successful transaction of its type, and logs it. */
  private void written(List<AccountEvent> events) {
    boolean debug = log.isDebugEnabled();
    for (AccountEvent e : events) {
      metrics.transaction(e.type(), TransactionStatus.SUCCESS);
      if (debug) {
        Entry x = e.entry();
        try (Mdc ids =
            Mdc.of(
                Mdc.ACCOUNT_ID, accountId,
                Mdc.TRANSACTION_ID, x.transactionId(),
                Mdc.CLAIM_ID, x.metadata().get("claimId"),
                Mdc.LEAD_ID, x.metadata().get("leadId"))) {
          log.debug(
              "{} of {} written: balance {} -> {}, reserved {} -> {}",
              e.type(),
              x.amount(),
              x.balanceBefore(),
              x.balanceAfter(),
              x.reservedBefore(),
              x.reservedAfter());
        }
      }
    }
  }

  /** After a restart, the write that was in flight is gone: its transactions failed. */
  private void countLostWrite() {
    if (writing == null) {
      return;
    }
    for (TransactionType t : TransactionType.values()) {
      for (int i = 0; i < writing[t.ordinal()]; i++) {
        metrics.transaction(t, TransactionStatus.FAILED);
      }
    }
    writing = null;
  }

  /** The transaction a command asks for; null for reads and wake-ups. */
  static TransactionType typeOf(AccountCommand command) {
    if (command instanceof Credit) {
      return TransactionType.CREDIT;
    }
    if (command instanceof Debit) {
      return TransactionType.DEBIT;
    }
    if (command instanceof Reserve) {
      return TransactionType.RESERVE;
    }
    if (command instanceof Capture) {
      return TransactionType.CAPTURE;
    }
    if (command instanceof Release) {
      return TransactionType.RELEASE;
    }
    if (command instanceof VoidGrant) {
      return TransactionType.GRANT_VOIDED;
    }
    if (command instanceof Refund) {
      return TransactionType.REFUND;
    }
    if (command instanceof SetAlerts) {
      return TransactionType.ALERTS_CHANGED;
    }
    return null;
  }

  private Optional<Outcome> decide(AccountState state, AccountCommand command, Instant now) {
    if (command instanceof Reserve r) {
      return decideReserveOrWait(state, r, now);
    }
    if (command instanceof Credit c && c.terms().expiresAt() != null) {
      return decideExpiringCreditOrWait(state, c, now);
    }
    if (command instanceof Refund r) {
      return decideRefundOrWait(state, r, now);
    }
    if (command instanceof WakeUp w) {
      return Optional.of(decideWakeUp(state, w, now));
    }
    if (command instanceof Get g) {
      AccountRules.Decision d = AccountRules.get(state, accountId);
      // A read shows the account after the whole write it is answered with.
      return Optional.of(
          d instanceof AccountRules.Reject r
              ? answering(g, null, r, now)
              : new Outcome(
                  List.of(),
                  s -> g.replyTo().tell(new Accepted(viewOf(s, now), s.balance(), false))));
    }
    Request request = (Request) command;
    return Optional.of(answering(request, typeOf(command), ruled(state, command, now), now));
  }

  /** What the rulebook decides of a change other than a reservation. */
  private AccountRules.Decision ruled(AccountState state, AccountCommand command, Instant now) {
    if (command instanceof Credit c) {
      return AccountRules.credit(
          state,
          remembered(state, c.transactionId()),
          c.transactionId(),
          c.amount(),
          c.terms(),
          c.metadata(),
          now);
    }
    if (command instanceof Debit d) {
      return AccountRules.debit(
          state,
          remembered(state, d.transactionId()),
          d.transactionId(),
          d.amount(),
          d.metadata(),
          now);
    }
    if (command instanceof Capture c) {
      return AccountRules.endHold(
          state, remembered(state, c.holdId()), c.holdId(), HoldEnd.CAPTURED, now);
    }
    if (command instanceof Release r) {
      return AccountRules.endHold(
          state, remembered(state, r.holdId()), r.holdId(), HoldEnd.RELEASED, now);
    }
    if (command instanceof Refund r) {
      return AccountRules.refund(
          state,
          remembered(state, r.transactionId()),
          r.transactionId(),
          r.amount(),
          r.spent(),
          r.promotionalTtl(),
          r.metadata(),
          now);
    }
    if (command instanceof VoidGrant v) {
      return AccountRules.voidGrant(
          state,
          remembered(state, v.transactionId()),
          v.transactionId(),
          v.grantId(),
          v.reason(),
          now);
    }
    if (command instanceof SetAlerts a) {
      return AccountRules.setAlerts(state, a.lowBalanceThreshold(), now);
    }
    throw new IllegalStateException("not a command for a batch: " + command);
  }

  /**
   * The events of a decision, and its reply once they are durable: an acceptance shows the account
   * after the whole write. A refusal is counted at once; what is written when it is durable.
   */
  private Outcome answering(
      Request request, TransactionType type, AccountRules.Decision d, Instant now) {
    if (d instanceof AccountRules.Reject r) {
      if (type != null) {
        metrics.transaction(type, TransactionStatus.REJECTED);
      }
      Rejected rejected = new Rejected(r.reason(), r.detail());
      return new Outcome(List.of(), s -> request.replyTo().tell(rejected));
    }
    AccountRules.Accept a = (AccountRules.Accept) d;
    return new Outcome(
        a.events(),
        s -> request.replyTo().tell(new Accepted(viewOf(s, now), a.balanceAfter(), a.replayed())));
  }

  private void tellGateWritten() {
    if (gated) {
      // The gate runs in this actor, in front of the entity: the message reaches it first.
      context.getSelf().tell(Written.INSTANCE);
    }
  }

  // ---- the decisions ------------------------------------------------------------------------

  /**
   * A reservation may only be written once a durable wake-up covers its expiry; until then it waits
   * (empty result). The wake-up is due now, so it is earlier than any hold it covers; the sweeper
   * then moves it to the earliest expiry.
   */
  private Optional<Outcome> decideReserveOrWait(AccountState state, Reserve r, Instant now) {
    Optional<AccountRules.Reject> badTtl = AccountRules.ttlRefusal(bounds(), r.ttl());
    if (badTtl.isPresent()) {
      return Optional.of(answering(r, TransactionType.RESERVE, badTtl.get(), now));
    }
    Duration ttl = settings.holdTtl(r.ttl());
    if (wakeup.covers(now.plus(ttl))) {
      return Optional.of(answering(r, TransactionType.RESERVE, decideReserve(state, r, now), now));
    }
    return waitForWakeup(r, now);
  }

  /**
   * A grant that expires is written only once a durable wake-up covers its expiry, as a hold is, so
   * its GRANT_EXPIRED is recorded even if the account is passivated or moved meanwhile. A top-up
   * that would be refused, or is a repeat, does not wait.
   */
  private Optional<Outcome> decideExpiringCreditOrWait(AccountState state, Credit c, Instant now) {
    AccountRules.Decision d = ruled(state, c, now);
    boolean writesAGrant = d instanceof AccountRules.Accept a && !a.replayed();
    if (!writesAGrant || wakeup.covers(c.terms().expiresAt())) {
      return Optional.of(answering(c, TransactionType.CREDIT, d, now));
    }
    return waitForWakeup(c, now);
  }

  /**
   * A refund may make grants that expire (one brought back with its own expiry, or the promotional
   * grant for what lapsed): like an expiring top-up, it is written only once a durable wake-up
   * covers the earliest of them.
   */
  private Optional<Outcome> decideRefundOrWait(AccountState state, Refund r, Instant now) {
    AccountRules.Decision d = ruled(state, r, now);
    Instant firstExpiry = null;
    if (d instanceof AccountRules.Accept a && !a.replayed()) {
      for (AccountEvent e : a.events()) {
        if (e instanceof AccountEvent.Refunded refunded) {
          for (RefundPart p : refunded.grants()) {
            Instant x = p.terms() == null ? null : p.terms().expiresAt();
            firstExpiry =
                x != null && (firstExpiry == null || x.isBefore(firstExpiry)) ? x : firstExpiry;
          }
        }
      }
    }
    if (firstExpiry == null || wakeup.covers(firstExpiry)) {
      return Optional.of(answering(r, TransactionType.REFUND, d, now));
    }
    return waitForWakeup(r, now);
  }

  /** Sets a request aside until a wake-up due now is written (or refuses it when too many wait). */
  private Optional<Outcome> waitForWakeup(Request r, Instant now) {
    if (waitingForWakeup.size() >= waitingReservesMax) {
      metrics.transaction(typeOf(r), TransactionStatus.FAILED);
      AccountReply busy =
          new AccountReply.Overloaded("too many reservations in flight for " + accountId);
      return Optional.of(new Outcome(List.of(), s -> r.replyTo().tell(busy)));
    }
    if (waitingForWakeup.isEmpty()) {
      waitingForWakeup = new ArrayList<>();
    }
    waitingForWakeup.add(r);
    wakeup.write(context, now, ok -> new WakeupRegistered(now, ok));
    return Optional.empty();
  }

  /**
   * The answer to a wake-up write may have been lost with the restart; requests waiting for it are
   * answered unavailable (nothing was written for them) instead of waiting forever.
   */
  private void forgetWakeup() {
    wakeup.forget();
    List<Request> waiting = waitingForWakeup;
    waitingForWakeup = List.of();
    waiting.forEach(
        r -> {
          metrics.transaction(typeOf(r), TransactionStatus.FAILED);
          r.replyTo().tell(new Unavailable("the account restarted; retry the request"));
        });
  }

  private ReplyEffect<AccountEvent, AccountState> onWakeupRegistered(
      AccountState state, WakeupRegistered w) {
    wakeup.written(w.dueAt(), w.ok());
    List<Request> waiting = waitingForWakeup;
    waitingForWakeup = List.of();
    if (!w.ok()) {
      waiting.forEach(
          r -> {
            metrics.transaction(typeOf(r), TransactionStatus.FAILED);
            r.replyTo().tell(new Unavailable("the journal database is unreachable"));
          });
      return Effect().noReply();
    }
    return write(state, List.copyOf(waiting), false);
  }

  // ---- transactions memory no longer has ----------------------------------------------------

  /**
   * Sets a command aside when its id may be one that memory no longer has: until the journal
   * answers, it cannot be told from a new id. A command whose id is being looked up waits behind
   * it, so the commands of one id are still decided in order.
   */
  private boolean awaitsLookup(AccountState state, AccountCommand command, Set<String> toLookUp) {
    String id = transactionIdOf(command);
    if (id == null || lookedUp.containsKey(id)) {
      return false;
    }
    boolean pending = lookingUp.contains(id) || toLookUp.contains(id);
    if (!pending && !state.mayHaveForgotten(id)) {
      return false;
    }
    Request request = (Request) command;
    if (awaitingLookup.size() >= Limits.transactionsAwaitingLookupMax) {
      metrics.transaction(typeOf(command), TransactionStatus.FAILED);
      request
          .replyTo()
          .tell(
              new AccountReply.Overloaded(
                  "too many transactions being looked up for " + accountId));
      return true;
    }
    if (awaitingLookup.isEmpty()) {
      awaitingLookup = new ArrayList<>();
    }
    awaitingLookup.add(request);
    if (!pending) {
      toLookUp.add(id);
    }
    return true;
  }

  /** Asks the journal for these ids, a bounded number per query; the answers come as LookedUp. */
  private void lookUp(Set<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    if (lookingUp.isEmpty()) {
      lookingUp = new HashSet<>();
    }
    lookingUp.addAll(ids);
    long generation = lookupGeneration;
    List<String> all = List.copyOf(ids);
    for (int from = 0; from < all.size(); from += Limits.transactionLookupBatchMax) {
      Set<String> asked =
          Set.copyOf(
              all.subList(from, Math.min(all.size(), from + Limits.transactionLookupBatchMax)));
      context.pipeToSelf(
          lookup.events(accountId, asked),
          (events, failure) ->
              new LookedUp(
                  generation, asked, failure == null ? events : List.of(), failure == null));
    }
  }

  /**
   * The commands of a batch, each journal answer among them replaced by the commands that waited
   * for it. The gate puts answers at the front of its next batch, so the commands that waited are
   * decided first and written with that batch: a look-up costs its commands a query and one more
   * turn, and the account no write of its own.
   */
  private List<AccountCommand> withLookedUp(List<AccountCommand> batch) {
    List<AccountCommand> commands = null;
    for (int i = 0; i < batch.size(); i++) {
      AccountCommand command = batch.get(i);
      if (command instanceof LookedUp l) {
        if (commands == null) {
          commands = new ArrayList<>(batch.subList(0, i));
        }
        commands.addAll(answered(l));
      } else if (commands != null) {
        commands.add(command);
      }
    }
    return commands == null ? batch : commands;
  }

  /**
   * Records what the journal holds of these ids for the write about to decide the commands that
   * waited for them, and returns those commands; an id whose transaction is older than the
   * idempotency window counts as new, as it would have once memory forgot it.
   */
  private List<Request> answered(LookedUp l) {
    if (l.generation() != lookupGeneration) {
      return List.of(); // meant for an incarnation before a restart
    }
    lookingUp.removeAll(l.ids());
    List<Request> ready = new ArrayList<>();
    List<Request> still = new ArrayList<>();
    for (Request r : awaitingLookup) {
      (l.ids().contains(transactionIdOf(r)) ? ready : still).add(r);
    }
    awaitingLookup = still.isEmpty() ? List.of() : still;
    if (!l.ok()) {
      ready.forEach(
          r -> {
            metrics.transaction(typeOf(r), TransactionStatus.FAILED);
            r.replyTo().tell(new Unavailable("the journal database is unreachable"));
          });
      return List.of();
    }
    Instant cutoff = now().minus(settings.idempotencyWindow());
    Map<String, TxRecord> found = AccountState.records(l.events());
    if (!(lookedUp instanceof HashMap)) {
      lookedUp = new HashMap<>(); // Map.of() between writes
    }
    for (String id : l.ids()) {
      TxRecord record = found.get(id);
      boolean live = record != null && record.at().isAfter(cutoff);
      lookedUp.put(id, live ? Optional.of(record) : Optional.empty());
    }
    return ready;
  }

  /** After a restart the answers to look-ups in flight are lost: their commands are answered. */
  private void forgetLookups() {
    lookupGeneration = generations.incrementAndGet();
    lookingUp = Set.of();
    lookedUp = Map.of();
    List<Request> waiting = awaitingLookup;
    awaitingLookup = List.of();
    waiting.forEach(
        r -> {
          metrics.transaction(typeOf(r), TransactionStatus.FAILED);
          r.replyTo().tell(new Unavailable("the account restarted; retry the request"));
        });
  }

  /** The transaction id a command is about; null for reads and wake-ups. */
  static String transactionIdOf(AccountCommand command) {
    if (command instanceof Credit c) {
      return c.transactionId();
    }
    if (command instanceof Debit d) {
      return d.transactionId();
    }
    if (command instanceof Reserve r) {
      return r.holdId();
    }
    if (command instanceof Capture c) {
      return c.holdId();
    }
    if (command instanceof VoidGrant v) {
      return v.transactionId();
    }
    if (command instanceof Refund r) {
      return r.transactionId();
    }
    return command instanceof Release r ? r.holdId() : null;
  }

  private AccountRules.Decision decideReserve(AccountState state, Reserve r, Instant now) {
    return AccountRules.reserve(
        state,
        bounds(),
        remembered(state, r.holdId()),
        r.holdId(),
        r.amount(),
        r.ttl(),
        r.metadata(),
        now);
  }

  /** Records the expiry of due holds and tells the sweeper when the next one is due. */
  private Outcome decideWakeUp(AccountState state, WakeUp w, Instant now) {
    AccountRules.Expiries due = AccountRules.expiries(state, now);
    // The sweeper will move or remove the durable wake-up to match this answer.
    wakeup.settled(due.next().orElse(null));
    WakeupReply reply = new WakeupReply(due.next().orElse(null));
    return new Outcome(due.events(), after -> w.replyTo().tell(reply));
  }

  /** Built when asked: a field would be heap in every resident account. */
  private AccountRules.Bounds bounds() {
    return new AccountRules.Bounds(
        settings.holdsPerAccountMax(), settings.holdTtlDefault(), settings.holdTtlMax());
  }

  /** What memory, or the journal for a command that waited for it, holds of a transaction. */
  private Optional<TxRecord> remembered(AccountState state, String transactionId) {
    Optional<TxRecord> inMemory = state.transaction(transactionId);
    if (inMemory.isPresent()) {
      return inMemory;
    }
    Optional<TxRecord> inJournal = lookedUp.get(transactionId);
    return inJournal == null ? Optional.empty() : inJournal;
  }

  private Instant now() {
    return clock.instant();
  }

  /** The view is shared by the replies of one write only; kept past it, it is heap per account. */
  private void forgetView() {
    view = null;
    viewState = null;
    viewNow = null;
  }

  private AccountView viewOf(AccountState s, Instant now) {
    if (s != viewState || !now.equals(viewNow)) {
      view = s.view(accountId, now);
      viewState = s;
      viewNow = now;
    }
    return view;
  }
}
