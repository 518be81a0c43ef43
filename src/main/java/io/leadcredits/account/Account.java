package io.leadcredits.account;

import io.leadcredits.Rejection;
import io.leadcredits.Settings;
import io.leadcredits.account.AccountCommand.Capture;
import io.leadcredits.account.AccountCommand.Credit;
import io.leadcredits.account.AccountCommand.Debit;
import io.leadcredits.account.AccountCommand.Get;
import io.leadcredits.account.AccountCommand.Release;
import io.leadcredits.account.AccountCommand.Reserve;
import io.leadcredits.account.AccountCommand.WakeUp;
import io.leadcredits.account.AccountCommand.WakeupRegistered;
import io.leadcredits.account.AccountEvent.Captured;
import io.leadcredits.account.AccountEvent.Credited;
import io.leadcredits.account.AccountEvent.Debited;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.account.AccountEvent.Expired;
import io.leadcredits.account.AccountEvent.Released;
import io.leadcredits.account.AccountEvent.Reserved;
import io.leadcredits.account.AccountReply.Accepted;
import io.leadcredits.account.AccountReply.Rejected;
import io.leadcredits.account.AccountReply.Unavailable;
import io.leadcredits.account.AccountState.Hold;
import io.leadcredits.account.AccountState.HoldEnd;
import io.leadcredits.account.AccountState.TxRecord;
import io.leadcredits.wakeup.WakeupReply;
import io.leadcredits.wakeup.WakeupStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A tradie's credit account. One live instance per account id across the cluster (sharding), one
 * command at a time, every change an event. Guarantees: balance, reserved and available never go
 * negative; a transaction id is applied at most once (a repeat is answered, not applied; the same
 * id with another payload is refused); a hold ends exactly once, by capture, release or expiry; a
 * hold past its expiry never counts against available, and its EXPIRE is recorded even if the
 * entity was stopped meanwhile, because a durable wake-up is written before the hold's event.
 */
public final class Account
    extends EventSourcedBehaviorWithEnforcedReplies<AccountCommand, AccountEvent, AccountState> {

  public static final EntityTypeKey<AccountCommand> ENTITY_KEY =
      EntityTypeKey.create(AccountCommand.class, "Account");

  /** The entity type name in the wake-up table. */
  public static final String WAKEUP_TYPE = "account";

  /** Reservations waiting for their wake-up to be written; beyond this they are refused. */
  private static final int waitingReservesMax = 1_000;

  private final String accountId;
  private final Settings settings;
  private final Clock clock;
  private final WakeupStore wakeups;
  private final ActorContext<AccountCommand> context;

  // Not state: what this incarnation knows of its durable wake-up. Null means "none known", which
  // after a restart makes the next hold write one again: redundant, never missing.
  private Instant wakeupDue;
  private boolean wakeupWriting;
  private final ArrayDeque<Reserve> waitingReserves = new ArrayDeque<>();

  public static Behavior<AccountCommand> create(
      String accountId, Settings settings, Clock clock, WakeupStore wakeups) {
    return Behaviors.setup(ctx -> new Account(ctx, accountId, settings, clock, wakeups));
  }

  public static PersistenceId persistenceId(String accountId) {
    return PersistenceId.of(ENTITY_KEY.name(), accountId);
  }

  private Account(
      ActorContext<AccountCommand> context,
      String accountId,
      Settings settings,
      Clock clock,
      WakeupStore wakeups) {
    super(
        persistenceId(accountId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.context = context;
    this.accountId = accountId;
    this.settings = settings;
    this.clock = clock;
    this.wakeups = wakeups;
  }

  @Override
  public AccountState emptyState() {
    return AccountState.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Events are never deleted: they are the audit trail. Snapshots only bound recovery time.
    return RetentionCriteria.snapshotEvery(settings.snapshotEveryEvents(), 2);
  }

  @Override
  public CommandHandlerWithReply<AccountCommand, AccountEvent, AccountState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Credit.class, (s, c) -> decided(s, decideCredit(s, c, now()), c.replyTo()))
        .onCommand(Debit.class, (s, c) -> decided(s, decideDebit(s, c, now()), c.replyTo()))
        .onCommand(Reserve.class, this::onReserve)
        .onCommand(
            Capture.class,
            (s, c) -> decided(s, decideEnd(s, c.holdId(), HoldEnd.CAPTURED, now()), c.replyTo()))
        .onCommand(
            Release.class,
            (s, c) -> decided(s, decideEnd(s, c.holdId(), HoldEnd.RELEASED, now()), c.replyTo()))
        .onCommand(Get.class, this::onGet)
        .onCommand(WakeUp.class, this::onWakeUp)
        .onCommand(WakeupRegistered.class, this::onWakeupRegistered)
        .build();
  }

  @Override
  public EventHandler<AccountState, AccountEvent> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent(
            (state, event) ->
                state.apply(event).prunedFor(settings.idempotencyWindow(), event.entry().at()));
  }

  // ---- command handlers -------------------------------------------------------------------

  /**
   * The outcome of one command: the events to persist (possibly none) and the reply, computed from
   * the state once they are durable.
   */
  private record Decision(List<AccountEvent> events, Function<AccountState, AccountReply> reply) {}

  private ReplyEffect<AccountEvent, AccountState> decided(
      AccountState state, Decision d, ActorRef<AccountReply> replyTo) {
    if (d.events().isEmpty()) {
      return Effect().reply(replyTo, d.reply().apply(state));
    }
    return Effect().persist(d.events()).thenReply(replyTo, d.reply()::apply);
  }

  private ReplyEffect<AccountEvent, AccountState> onGet(AccountState state, Get get) {
    if (!state.exists()) {
      return Effect()
          .reply(get.replyTo(), new Rejected(Rejection.NOT_FOUND, "no account " + accountId));
    }
    Instant now = now();
    return Effect()
        .reply(get.replyTo(), new Accepted(state.view(accountId, now), state.balance(), false));
  }

  private Decision decideCredit(AccountState state, Credit c, Instant now) {
    String fingerprint = fingerprint("CREDIT", c.amount(), "", c.metadata());
    Optional<Decision> seen = replay(state, c.transactionId(), fingerprint, now);
    if (seen.isPresent()) {
      return seen.get();
    }
    Folded f = expire(state, now);
    long after;
    try {
      after = Math.addExact(f.state().balance(), c.amount());
    } catch (ArithmeticException overflow) {
      return reject(Rejection.INVALID_REQUEST, "the balance would exceed the largest amount");
    }
    Entry e =
        entry(
            f.state(),
            c.transactionId(),
            c.amount(),
            after,
            f.state().reserved(),
            now,
            c.metadata());
    return accept(f.add(new Credited(e, fingerprint)), c.transactionId(), now);
  }

  private Decision decideDebit(AccountState state, Debit d, Instant now) {
    String fingerprint = fingerprint("DEBIT", d.amount(), "", d.metadata());
    Optional<Decision> seen = replay(state, d.transactionId(), fingerprint, now);
    if (seen.isPresent()) {
      return seen.get();
    }
    Folded f = expire(state, now);
    long available = f.state().availableAt(now);
    if (d.amount() > available) {
      return reject(
          Rejection.INSUFFICIENT_CREDITS,
          "debit of " + d.amount() + " exceeds available " + available);
    }
    Entry e =
        entry(
            f.state(),
            d.transactionId(),
            d.amount(),
            f.state().balance() - d.amount(),
            f.state().reserved(),
            now,
            d.metadata());
    return accept(f.add(new Debited(e, fingerprint)), d.transactionId(), now);
  }

  private ReplyEffect<AccountEvent, AccountState> onReserve(AccountState state, Reserve r) {
    Instant now = now();
    Duration ttl = r.ttl() == null ? settings.holdTtlDefault() : r.ttl();
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(settings.holdTtlMax()) > 0) {
      return decided(
          state,
          reject(Rejection.INVALID_REQUEST, "ttl must be 1s.." + settings.holdTtlMax()),
          r.replyTo());
    }
    if (wakeupDue == null || wakeupDue.isAfter(now.plus(ttl))) {
      return awaitWakeup(r, now);
    }
    return decided(state, decideReserve(state, r, now), r.replyTo());
  }

  /**
   * Holds the reservation until the durable wake-up is written. The wake-up is due now, so it is
   * earlier than any hold it covers; the sweeper then moves it to the earliest expiry.
   */
  private ReplyEffect<AccountEvent, AccountState> awaitWakeup(Reserve r, Instant now) {
    if (waitingReserves.size() >= waitingReservesMax) {
      return Effect()
          .reply(r.replyTo(), new Unavailable("too many reservations in flight for " + accountId));
    }
    waitingReserves.add(r);
    if (!wakeupWriting) {
      wakeupWriting = true;
      context.pipeToSelf(
          wakeups.schedule(WAKEUP_TYPE, accountId, now),
          (ok, failure) -> new WakeupRegistered(now, failure == null));
    }
    return Effect().noReply();
  }

  private ReplyEffect<AccountEvent, AccountState> onWakeupRegistered(
      AccountState state, WakeupRegistered w) {
    wakeupWriting = false;
    List<Reserve> batch = new ArrayList<>(waitingReserves);
    waitingReserves.clear();
    if (!w.ok()) {
      batch.forEach(r -> r.replyTo().tell(new Unavailable("the journal database is unreachable")));
      return Effect().noReply();
    }
    wakeupDue = wakeupDue == null || w.dueAt().isBefore(wakeupDue) ? w.dueAt() : wakeupDue;
    // All reservations that waited are decided in arrival order and written in one batch.
    Instant now = now();
    AccountState folded = state;
    List<AccountEvent> events = new ArrayList<>();
    List<Function<AccountState, AccountReply>> replies = new ArrayList<>();
    for (Reserve r : batch) {
      Decision d = decideReserve(folded, r, now);
      for (AccountEvent e : d.events()) {
        folded = folded.apply(e);
      }
      events.addAll(d.events());
      replies.add(d.reply());
    }
    if (events.isEmpty()) {
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).replyTo().tell(replies.get(i).apply(state));
      }
      return Effect().noReply();
    }
    return Effect()
        .persist(events)
        .thenRun(
            (AccountState after) -> {
              for (int i = 0; i < batch.size(); i++) {
                batch.get(i).replyTo().tell(replies.get(i).apply(after));
              }
            })
        .thenNoReply();
  }

  private Decision decideReserve(AccountState state, Reserve r, Instant now) {
    Duration ttl = r.ttl() == null ? settings.holdTtlDefault() : r.ttl();
    String fingerprint =
        fingerprint(
            "RESERVE",
            r.amount(),
            r.ttl() == null ? "" : String.valueOf(ttl.toSeconds()),
            r.metadata());
    Optional<Decision> seen = replay(state, r.holdId(), fingerprint, now);
    if (seen.isPresent()) {
      return seen.get();
    }
    Folded f = expire(state, now);
    if (f.state().holds().size() >= settings.holdsPerAccountMax()) {
      return reject(
          Rejection.TOO_MANY_HOLDS,
          "an account holds at most " + settings.holdsPerAccountMax() + " reservations");
    }
    long available = f.state().availableAt(now);
    if (r.amount() > available) {
      return reject(
          Rejection.INSUFFICIENT_CREDITS,
          "reservation of " + r.amount() + " exceeds available " + available);
    }
    AccountState s = f.state();
    Entry e =
        entry(s, r.holdId(), r.amount(), s.balance(), s.reserved() + r.amount(), now, r.metadata());
    return accept(f.add(new Reserved(e, fingerprint, now.plus(ttl))), r.holdId(), now);
  }

  /** Capture or release: ends an open hold, or answers a repeat of the same end. */
  private Decision decideEnd(AccountState state, String holdId, HoldEnd end, Instant now) {
    Folded f = expire(state, now);
    Optional<TxRecord> record = f.state().transaction(holdId);
    Optional<Hold> open = f.state().hold(holdId);
    if (open.isEmpty()) {
      if (record.isEmpty() || record.get().holdEnd() == null) {
        return reject(Rejection.NOT_FOUND, "no reservation " + holdId);
      }
      HoldEnd was = record.get().holdEnd();
      boolean sameEnd = was == end || (end == HoldEnd.RELEASED && was == HoldEnd.EXPIRED);
      if (!sameEnd) {
        return reject(
            Rejection.HOLD_NOT_ACTIVE,
            "reservation " + holdId + " was already " + was.name().toLowerCase());
      }
      // A release of a hold that has just expired records the expiry (a real change) and succeeds.
      return f.events().isEmpty() ? replayed(holdId, now) : accept(f, holdId, now);
    }
    Hold h = open.get();
    AccountState s = f.state();
    long balanceAfter = end == HoldEnd.CAPTURED ? s.balance() - h.amount() : s.balance();
    Entry e = entry(s, holdId, h.amount(), balanceAfter, s.reserved() - h.amount(), now, Map.of());
    AccountEvent ended = end == HoldEnd.CAPTURED ? new Captured(e) : new Released(e);
    return accept(f.add(ended), holdId, now);
  }

  private ReplyEffect<AccountEvent, AccountState> onWakeUp(AccountState state, WakeUp w) {
    Instant now = now();
    Folded f = expire(state, now);
    Optional<Instant> next = f.state().nextExpiry();
    // The sweeper will move or remove the durable wake-up to match this answer.
    wakeupDue = next.orElse(null);
    WakeupReply reply = new WakeupReply(next.orElse(null));
    if (f.events().isEmpty()) {
      return Effect().reply(w.replyTo(), reply);
    }
    return Effect().persist(f.events()).thenReply(w.replyTo(), s -> reply);
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** The state after recording the expiry of every hold due at {@code now}, and those events. */
  private record Folded(AccountState state, List<AccountEvent> events) {
    Folded add(AccountEvent e) {
      List<AccountEvent> all = new ArrayList<>(events);
      all.add(e);
      return new Folded(state.apply(e), all);
    }
  }

  private static Folded expire(AccountState state, Instant now) {
    Folded f = new Folded(state, List.of());
    for (Hold h : state.dueHolds(now)) {
      AccountState s = f.state();
      Entry e =
          entry(
              s,
              h.holdId(),
              h.amount(),
              s.balance(),
              s.reserved() - h.amount(),
              h.expiresAt(),
              Map.of());
      f = f.add(new Expired(e));
    }
    return f;
  }

  private Optional<Decision> replay(
      AccountState state, String transactionId, String fingerprint, Instant now) {
    Optional<TxRecord> seen = state.transaction(transactionId);
    if (seen.isEmpty()) {
      return Optional.empty();
    }
    if (!seen.get().fingerprint().equals(fingerprint)) {
      return Optional.of(
          reject(
              Rejection.IDEMPOTENCY_CONFLICT,
              "transaction " + transactionId + " was used with another request"));
    }
    return Optional.of(replayed(transactionId, now));
  }

  private Decision replayed(String transactionId, Instant now) {
    return new Decision(List.of(), s -> accepted(s, transactionId, now, true));
  }

  private Decision accept(Folded f, String transactionId, Instant now) {
    return new Decision(f.events(), s -> accepted(s, transactionId, now, false));
  }

  private Accepted accepted(AccountState s, String transactionId, Instant now, boolean replayed) {
    long balanceAfter =
        s.transaction(transactionId).map(TxRecord::balanceAfter).orElse(s.balance());
    return new Accepted(s.view(accountId, now), balanceAfter, replayed);
  }

  private static Decision reject(Rejection reason, String detail) {
    Rejected r = new Rejected(reason, detail);
    return new Decision(List.of(), s -> r);
  }

  private static Entry entry(
      AccountState s,
      String txId,
      long amount,
      long balanceAfter,
      long reservedAfter,
      Instant at,
      Map<String, String> metadata) {
    return new Entry(
        txId, amount, s.balance(), balanceAfter, s.reserved(), reservedAfter, at, metadata);
  }

  /** What makes two requests with one transaction id "the same request". */
  static String fingerprint(String type, long amount, String extra, Map<String, String> metadata) {
    return type + '|' + amount + '|' + extra + '|' + new TreeMap<>(metadata);
  }

  private Instant now() {
    return clock.instant();
  }
}
