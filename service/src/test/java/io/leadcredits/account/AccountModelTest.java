package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.leadcredits.Rejection;
import io.leadcredits.Settings;
import io.leadcredits.account.AccountCommand.Capture;
import io.leadcredits.account.AccountCommand.Credit;
import io.leadcredits.account.AccountCommand.Debit;
import io.leadcredits.account.AccountCommand.Get;
import io.leadcredits.account.AccountCommand.Release;
import io.leadcredits.account.AccountCommand.Reserve;
import io.leadcredits.account.AccountCommand.WakeUp;
import io.leadcredits.account.AccountReply.Accepted;
import io.leadcredits.account.AccountReply.Rejected;
import io.leadcredits.account.AccountState.HoldEnd;
import io.leadcredits.support.EntityTestKits;
import io.leadcredits.support.InMemoryWakeupStore;
import io.leadcredits.support.MutableClock;
import io.leadcredits.wakeup.WakeupReply;
import io.leadcredits.wakeup.WakeupSweeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * The account entity against a reference model, in the spirit of TigerBeetle's auditor: random
 * sequences of credits, debits, holds and their ends, repeats of earlier transaction ids (same and
 * other payload), reads, wake-ups, clock moves and restarts are applied to the real entity and to a
 * few lines of plain Java. After every step the reply, the account as clients see it, the recorded
 * holds and the journal must agree with the model, and the ledger invariants must hold.
 *
 * <p>What the model says, read from {@link Account}: a hold whose {@code expiresAt} is not after
 * now never counts; every accepted change first records EXPIRE of all due holds in the same write,
 * while rejections and replays write nothing; a reserve's ttl is checked before its id is looked
 * up; a repeated capture or release answers its own first balance and writes nothing.
 *
 * <p>Grants, modelled apart from the rulebook: each top-up is a grant (paid or promotional, some
 * expiring a few minutes ahead, some of another priority); debits and holds take in spending order
 * (priority, soonest expiry, promotional before paid, oldest); a capture spends what its hold
 * earmarked and a release or expiry gives it back; a remainder past its expiry is expired before
 * anything else is decided (and never counts in a view), and what a hold gives back to an expired
 * or voided grant goes at once. The clock moves to grant expiries too (time travel).
 */
class AccountModelTest {
  /**
   * A failed write restarts the entity with a backoff that doubles with each failure in a row (up
   * to 5 s, see {@link Account}); a sequence with several faults close together waits that long for
   * the entity to answer again, so the testkit's waits are longer than the longest backoff.
   */
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.testkit.typed.single-expect-default = 10s")
              .withFallback(EntityTestKits.config()));

  private static final AtomicInteger accounts = new AtomicInteger();
  private static final Instant start = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * The shipped settings with two limits lowered so that 40 operations reach them: at most 4 open
   * holds (TOO_MANY_HOLDS) and a snapshot every 10 events (restarts recover from snapshots).
   */
  private static final Settings settings = smallLimits();

  /** How long a caller whose write failed is watched for a (wrong) definite answer. */
  private static final Duration unknownReplyWait = Duration.ofMillis(300);

  @AfterContainer
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Property(tries = 200, shrinking = ShrinkingMode.FULL)
  void entityAgreesWithTheModelAfterEveryStep(@ForAll("operations") List<Op> ops) {
    Run run = new Run();
    for (int step = 0; step < ops.size(); step++) {
      run.apply("step " + step + " " + ops.get(step), ops.get(step));
    }
  }

  /**
   * The same, with journal writes failing now and then (Pekko's persistence testkit). A write that
   * fails leaves its caller without a definite answer (at most {@link AccountReply.Unavailable}:
   * retry), never a success or a refusal; it lands entirely or not at all (here: not at all, the
   * entity restarts from the journal), and the retry with the same transaction id is decided
   * afresh, as if the first attempt had never been sent.
   */
  @Property(tries = 15, shrinking = ShrinkingMode.BOUNDED)
  void failedWritesAreAllOrNothingAndRepliesNeverLie(@ForAll("operationsWithFaults") List<Op> ops) {
    Run run = new Run();
    for (int step = 0; step < ops.size(); step++) {
      run.apply("step " + step + " " + ops.get(step), ops.get(step));
    }
  }

  // ---- operations -----------------------------------------------------------------------------

  /**
   * One generated operation. Operations that refer to earlier ones (repeats, ends of holds, clock
   * moves to an expiry) carry a {@code pick} resolved against the model when applied, so they stay
   * meaningful while jqwik shrinks the sequence.
   */
  sealed interface Op {}

  /**
   * A top-up; {@code grant}: 0 the defaults, 1 promotional expiring in {@code expirySeconds}, 2
   * paid of priority 10, 3 promotional never expiring, 4 paid expiring in {@code expirySeconds}.
   */
  record CreditOp(long amount, boolean withReason, int grant, long expirySeconds) implements Op {}

  /** Voids a live grant (or names a transaction that is none). */
  record VoidOp(int pick) implements Op {}

  record DebitOp(long amount) implements Op {}

  /** {@code ttlSeconds} null asks for the configured default. */
  record ReserveOp(long amount, Long ttlSeconds) implements Op {}

  record CaptureOp(Target target) implements Op {}

  record ReleaseOp(Target target) implements Op {}

  record GetOp() implements Op {}

  record WakeUpOp() implements Op {}

  /** One pass of the wake-up sweeper over the durable reminders, as the service runs it. */
  record SweepOp() implements Op {}

  record AdvanceOp(long seconds) implements Op {}

  /** Moves the clock to exactly a live hold's expiry, or to one millisecond before it. */
  record AdvanceToExpiryOp(int pick, boolean justBefore) implements Op {}

  /** Sends an earlier credit, debit or reserve again, unchanged. */
  record RepeatOp(int pick) implements Op {}

  /** Sends an earlier request's id with another payload: 0 amount, 1 metadata, 2 kind, 3 ttl. */
  record RepeatChangedOp(int pick, int change) implements Op {}

  record RestartOp() implements Op {}

  /**
   * The next journal write fails: the database broke off, and the entity restarts by itself. (A
   * rejected write is covered by {@code AccountGateTest}: it stops this testkit's entity for good.)
   */
  record FaultOp() implements Op {}

  /** Which hold a capture or release names. */
  enum TargetKind {
    LIVE,
    ENDED_OR_DUE,
    ANY_TRANSACTION,
    UNKNOWN
  }

  record Target(TargetKind kind, int pick) {}

  @Provide
  Arbitrary<List<Op>> operations() {
    return op().list()
        .ofMinSize(1)
        .ofMaxSize(40)
        .withSizeDistribution(RandomDistribution.uniform());
  }

  @Provide
  Arbitrary<List<Op>> operationsWithFaults() {
    Arbitrary<Op> fault = Arbitraries.just(new FaultOp());
    return Arbitraries.frequencyOf(Tuple.of(8, op()), Tuple.of(2, fault))
        .list()
        .ofMinSize(1)
        .ofMaxSize(30)
        .withSizeDistribution(RandomDistribution.uniform());
  }

  private static Arbitrary<Op> op() {
    // Takes smaller than top-ups, so holds and debits mostly fit and the accepted paths are
    // reached.
    Arbitrary<Long> topUp = Arbitraries.longs().between(1, 200);
    Arbitrary<Long> amount = Arbitraries.longs().between(1, 50);
    Arbitrary<Long> ttl =
        Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(1, 600)),
                Tuple.of(1, Arbitraries.of(0L, -5L, 86_400L, 86_401L)))
            .injectNull(0.2);
    Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1_000);
    Arbitrary<TargetKind> targetKind =
        Arbitraries.frequency(
            Tuple.of(4, TargetKind.LIVE),
            Tuple.of(3, TargetKind.ENDED_OR_DUE),
            Tuple.of(1, TargetKind.ANY_TRANSACTION),
            Tuple.of(1, TargetKind.UNKNOWN));
    Arbitrary<Target> target = Combinators.combine(targetKind, pick).as(Target::new);
    Arbitrary<Op> credit =
        Combinators.combine(
                topUp,
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 4),
                Arbitraries.longs().between(1, 600))
            .as(CreditOp::new);
    Arbitrary<Op> voidGrant = pick.map(VoidOp::new);
    Arbitrary<Op> debit = amount.map(DebitOp::new);
    Arbitrary<Op> reserve = Combinators.combine(amount, ttl).as(ReserveOp::new);
    Arbitrary<Op> capture = target.map(CaptureOp::new);
    Arbitrary<Op> release = target.map(ReleaseOp::new);
    Arbitrary<Op> advance = Arbitraries.longs().between(0, 400).map(AdvanceOp::new);
    Arbitrary<Op> toExpiry =
        Combinators.combine(pick, Arbitraries.of(true, false)).as(AdvanceToExpiryOp::new);
    Arbitrary<Op> repeat = pick.map(RepeatOp::new);
    Arbitrary<Op> repeatChanged =
        Combinators.combine(pick, Arbitraries.integers().between(0, 3)).as(RepeatChangedOp::new);
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            Tuple.of(6, credit),
            Tuple.of(4, debit),
            Tuple.of(6, reserve),
            Tuple.of(4, capture),
            Tuple.of(3, release),
            Tuple.of(2, Arbitraries.just(new GetOp())),
            Tuple.of(2, Arbitraries.just(new WakeUpOp())),
            Tuple.of(2, Arbitraries.just(new SweepOp())),
            Tuple.of(4, advance),
            Tuple.of(2, toExpiry),
            Tuple.of(3, repeat),
            Tuple.of(3, repeatChanged),
            Tuple.of(2, voidGrant),
            Tuple.of(1, Arbitraries.just(new RestartOp())));
    return op;
  }

  // ---- one try: the entity, its clock and the model -------------------------------------------

  private static final class Run {
    private final String accountId = "model-" + accounts.incrementAndGet();
    private final MutableClock clock = new MutableClock(start);
    private final InMemoryWakeupStore wakeups = new InMemoryWakeupStore();
    private final EventSourcedBehaviorTestKit<AccountCommand, AccountEvent, AccountState> account =
        EventSourcedBehaviorTestKit.create(
            testKit.system(), Account.create(accountId, settings, clock, wakeups));
    private final List<Request> sent = new ArrayList<>();
    private Model model = Model.empty();
    private int nextId;
    private String opName;
    private FaultOp armed; // the fault the next write meets, if any

    void apply(String where, Op op) {
      Instant now = clock.instant();
      opName = op.getClass().getSimpleName();
      if (op instanceof CreditOp c) {
        send(
            where,
            new Request(
                Kind.CREDIT,
                newId(),
                c.amount(),
                null,
                c.withReason() ? Map.of("reason", "top-up") : Map.of(),
                terms(c, now),
                null));
      } else if (op instanceof VoidOp v) {
        send(
            where,
            new Request(Kind.VOID, newId(), 0, null, Map.of(), null, model.resolveGrant(v.pick())));
      } else if (op instanceof DebitOp d) {
        send(where, new Request(Kind.DEBIT, newId(), d.amount(), null, Map.of()));
      } else if (op instanceof ReserveOp r) {
        send(
            where,
            new Request(
                Kind.RESERVE,
                newId(),
                r.amount(),
                r.ttlSeconds() == null ? null : Duration.ofSeconds(r.ttlSeconds()),
                Map.of()));
      } else if (op instanceof CaptureOp c) {
        String holdId = model.resolve(c.target(), now);
        Step expected = model.end(accountId, holdId, HoldEnd.CAPTURED, now);
        if (writes(expected)) {
          failWrite(where + " -> " + holdId, r -> new Capture(holdId, r));
        }
        AccountReply reply = account.<AccountReply>runCommand(r -> new Capture(holdId, r)).reply();
        expect(where + " -> " + holdId, expected, reply);
      } else if (op instanceof ReleaseOp c) {
        String holdId = model.resolve(c.target(), now);
        Step expected = model.end(accountId, holdId, HoldEnd.RELEASED, now);
        if (writes(expected)) {
          failWrite(where + " -> " + holdId, r -> new Release(holdId, r));
        }
        AccountReply reply = account.<AccountReply>runCommand(r -> new Release(holdId, r)).reply();
        expect(where + " -> " + holdId, expected, reply);
      } else if (op instanceof FaultOp f) {
        armed = f;
      } else if (op instanceof GetOp) {
        expect(
            where, model.get(accountId, now), account.<AccountReply>runCommand(Get::new).reply());
      } else if (op instanceof WakeUpOp) {
        expect(where, model.wakeUp(now), account.<WakeupReply>runCommand(WakeUp::new).reply());
      } else if (op instanceof SweepOp) {
        sweep(where, now);
      } else if (op instanceof AdvanceOp a) {
        clock.advance(Duration.ofSeconds(a.seconds()));
      } else if (op instanceof AdvanceToExpiryOp a) {
        model
            .liveExpiry(a.pick(), now)
            .ifPresent(
                at ->
                    clock.advance(Duration.between(now, a.justBefore() ? at.minusMillis(1) : at)));
      } else if (op instanceof RepeatOp r) {
        if (!sent.isEmpty()) {
          send(where, sent.get(r.pick() % sent.size()));
        }
      } else if (op instanceof RepeatChangedOp r) {
        if (!sent.isEmpty()) {
          send(where, sent.get(r.pick() % sent.size()).changed(r.change()));
        }
      } else if (op instanceof RestartOp) {
        AccountState before = account.getState();
        assertThat(account.restart().state())
            .as(where + ": state recovered from snapshot and events")
            .isEqualTo(before);
      }
      checkState(where);
    }

    /** The sweeper wakes the account iff its reminder is due, and settles the reminder. */
    private void sweep(String where, Instant now) {
      boolean due =
          wakeups.dueOf(Account.WAKEUP_TYPE, accountId).filter(at -> !at.isAfter(now)).isPresent();
      WakeupSweeper.Waker waker =
          id ->
              CompletableFuture.completedFuture(
                  account.<WakeupReply>runCommand(WakeUp::new).reply());
      int settled =
          WakeupSweeper.sweep(wakeups, Map.of(Account.WAKEUP_TYPE, waker), clock)
              .toCompletableFuture()
              .join();
      assertThat(settled).as(where + ": reminders settled").isEqualTo(due ? 1 : 0);
      if (due) {
        model = model.wakeUp(now).after();
      }
    }

    private static GrantTerms terms(CreditOp c, Instant now) {
      Instant expiry = now.plusSeconds(c.expirySeconds());
      return switch (c.grant()) {
        case 1 -> new GrantTerms(GrantCategory.PROMOTIONAL, expiry, 50, null);
        case 2 -> new GrantTerms(GrantCategory.PAID, null, 10, null);
        case 3 -> new GrantTerms(GrantCategory.PROMOTIONAL, null, 50, null);
        case 4 -> new GrantTerms(GrantCategory.PAID, expiry, 50, new GrantTerms.Price(100, "AUD"));
        default -> GrantTerms.DEFAULT;
      };
    }

    private String newId() {
      return "tx-" + nextId++;
    }

    private void send(String where, Request request) {
      sent.add(request);
      Step expected = model.decide(accountId, request, clock.instant());
      if (writes(expected)) {
        // The failed attempt changes nothing, so the retry that follows is expected to be
        // decided exactly as the first attempt would have been.
        failWrite(where + " as " + request, r -> command(request, r));
      }
      expect(where + " as " + request, expected, reply(request));
    }

    /** Whether the model says this command writes events, and a fault is armed for the write. */
    private boolean writes(Step expected) {
      return armed != null && expected.after().version > model.version;
    }

    /**
     * Sends {@code command} into an armed fault: its write fails. Its caller gets no definite
     * answer, only silence or {@link AccountReply.Unavailable}; the entity restarts from the
     * journal, and {@link #checkState} then finds nothing of the command in state or journal.
     */
    private void failWrite(String where, Function<ActorRef<AccountReply>, AccountCommand> command) {
      account.persistenceTestKit().failNextPersisted(Account.persistenceId(accountId).id());
      armed = null;
      TestProbe<AccountReply> probe = testKit.createTestProbe();
      account.runCommand(command.apply(probe.ref()));
      receive(probe, unknownReplyWait)
          .ifPresent(
              a ->
                  assertThat(a)
                      .as(where + ": a failed write is never answered as a success or a refusal")
                      .isInstanceOf(AccountReply.Unavailable.class));
      Statistics.collect(opName, "write failed, then retried");
      checkState(where + " after its write failed");
    }

    private static Optional<AccountReply> receive(TestProbe<AccountReply> probe, Duration wait) {
      try {
        return Optional.of(probe.receiveMessage(wait));
      } catch (AssertionError timeout) {
        return Optional.empty();
      }
    }

    private AccountReply reply(Request q) {
      boolean mayWait =
          q.kind() == Kind.RESERVE || (q.kind() == Kind.CREDIT && q.terms().expiresAt() != null);
      if (!mayWait) {
        return account.<AccountReply>runCommand(r -> command(q, r)).reply();
      }
      // A reservation or an expiring top-up may wait for its durable wake-up, so its reply comes
      // later, on a probe.
      TestProbe<AccountReply> probe = testKit.createTestProbe();
      account.runCommand(command(q, probe.ref()));
      return probe.receiveMessage();
    }

    private static AccountCommand command(Request q, ActorRef<AccountReply> replyTo) {
      return switch (q.kind()) {
        case CREDIT -> new Credit(q.id(), q.amount(), q.terms(), q.metadata(), replyTo);
        case DEBIT -> new Debit(q.id(), q.amount(), q.metadata(), replyTo);
        case RESERVE -> new Reserve(q.id(), q.amount(), q.ttl(), q.metadata(), replyTo);
        case VOID ->
            new AccountCommand.VoidGrant(q.id(), q.grantId(), q.metadata().get("reason"), replyTo);
      };
    }

    private void expect(String where, Step expected, Object actual) {
      if (expected.reply() instanceof Rejected wanted) {
        assertThat(actual).as(where).isInstanceOf(Rejected.class);
        assertThat(((Rejected) actual).reason())
            .as(where + ": " + actual)
            .isEqualTo(wanted.reason());
      } else {
        assertThat(actual).as(where).isEqualTo(expected.reply());
      }
      model = expected.after();
      // The outcome mix, printed with the run: shows which paths the generator reaches.
      Statistics.collect(
          opName,
          actual instanceof Rejected r
              ? r.reason().name()
              : actual instanceof Accepted a
                  ? (a.replayed() ? "replayed" : "accepted")
                  : "answered");
    }

    /** The entity's state and journal against the model, and the ledger invariants. */
    private void checkState(String where) {
      Instant now = clock.instant();
      AccountState state = account.getState();
      AccountView view = state.view(accountId, now);
      assertThat(view).as(where + ": view").isEqualTo(model.view(accountId, now));
      assertThat(state.reserved())
          .as(where + ": recorded reserved (due holds included)")
          .isEqualTo(model.recordedReserved());
      assertThat(state.holds().size())
          .as(where + ": recorded open holds")
          .isEqualTo(model.open.size());
      // Every hold whose end is not recorded has a durable reminder due no later than its expiry.
      state
          .nextExpiry()
          .ifPresent(
              first ->
                  assertThat(wakeups.dueOf(Account.WAKEUP_TYPE, accountId))
                      .as(where + ": durable wake-up for the hold expiring at " + first)
                      .hasValueSatisfying(due -> assertThat(due).isBeforeOrEqualTo(first)));

      assertThat(view.balance()).as(where + ": balance >= 0").isNotNegative();
      assertThat(view.available()).as(where + ": available >= 0").isNotNegative();
      assertThat(view.reserved()).as(where + ": reserved <= balance").isBetween(0L, view.balance());
      assertThat(state.reserved())
          .as(where + ": recorded reserved <= balance")
          .isBetween(0L, state.balance());

      Journal journal =
          Journal.of(
              account
                  .persistenceTestKit()
                  .persistedInStorage(Account.persistenceId(accountId).id()));
      assertThat(journal.events()).as(where + ": events == version").isEqualTo(state.version());
      assertThat(state.balance())
          .as(where + ": balance == credits - debits - captures")
          .isEqualTo(journal.balance());
      assertThat(state.reserved())
          .as(where + ": reserved == reserves - ends")
          .isEqualTo(journal.reserved());
      // The grant invariants over the whole journal, as the audit checks them.
      io.leadcredits.audit.InvariantChecker checker = new io.leadcredits.audit.InvariantChecker();
      List<AccountEvent> events = new ArrayList<>();
      account
          .persistenceTestKit()
          .persistedInStorage(Account.persistenceId(accountId).id())
          .forEach(o -> events.add((AccountEvent) o));
      checker.account(accountId, events);
      assertThat(checker.report().violations()).as(where + ": audit").isEmpty();
    }
  }

  /** Sums over every event the entity has persisted. */
  private record Journal(long events, long balance, long reserved) {
    static Journal of(List<Object> persisted) {
      long balance = 0;
      long reserved = 0;
      for (Object o : persisted) {
        AccountEvent e = (AccountEvent) o;
        long amount = e.entry().amount();
        switch (e.type()) {
          case CREDIT, REFUND -> balance += amount;
          case DEBIT -> balance -= amount;
          case RESERVE -> reserved += amount;
          case CAPTURE -> {
            balance -= amount;
            reserved -= amount;
          }
          case RELEASE, EXPIRE -> reserved -= amount;
          case GRANT_EXPIRED, GRANT_VOIDED -> balance -= amount;
        }
      }
      return new Journal(persisted.size(), balance, reserved);
    }
  }

  // ---- the reference model --------------------------------------------------------------------

  enum Kind {
    CREDIT,
    DEBIT,
    RESERVE,
    VOID
  }

  /**
   * A credit, debit, reserve or void as sent; {@code ttl} null asks for the default; {@code terms}
   * a credit's grant, {@code grantId} the grant a void names (its reason is the metadata's).
   */
  record Request(
      Kind kind,
      String id,
      long amount,
      Duration ttl,
      Map<String, String> metadata,
      GrantTerms terms,
      String grantId) {
    Request(Kind kind, String id, long amount, Duration ttl, Map<String, String> metadata) {
      this(kind, id, amount, ttl, metadata, kind == Kind.CREDIT ? GrantTerms.DEFAULT : null, null);
    }

    /** What makes two requests with one id the same request. */
    Payload payload() {
      return new Payload(kind, amount, kind == Kind.RESERVE ? ttl : null, metadata, terms, grantId);
    }

    Request changed(int change) {
      if (kind == Kind.VOID) {
        return new Request(kind, id, amount, ttl, Map.of("reason", "other"), terms, grantId);
      }
      return switch (change) {
        case 0 -> new Request(kind, id, amount + 1, ttl, metadata, terms, grantId);
        case 2 -> new Request(Kind.values()[(kind.ordinal() + 1) % 3], id, amount, ttl, metadata);
        case 3 ->
            kind == Kind.RESERVE
                ? new Request(
                    kind, id, amount, ttl == null ? settings.holdTtlDefault() : null, metadata)
                : kind == Kind.CREDIT
                    ? new Request(
                        kind,
                        id,
                        amount,
                        ttl,
                        metadata,
                        new GrantTerms(GrantCategory.PAID, null, 99, null),
                        null)
                    : new Request(kind, id, amount, ttl, Map.of("reason", "other"));
        default -> new Request(kind, id, amount, ttl, Map.of("reason", "other"), terms, grantId);
      };
    }
  }

  record Payload(
      Kind kind,
      long amount,
      Duration ttl,
      Map<String, String> metadata,
      GrantTerms terms,
      String grantId) {}

  record Hold(String id, long amount, Instant expiresAt, List<GrantAmount> earmarks) {
    boolean liveAt(Instant now) {
      return expiresAt.isAfter(now);
    }
  }

  /** A live grant of the model; changed only on a model's own copy. */
  static final class MGrant {
    final String id;
    final GrantTerms terms;
    final long granted;
    final Instant createdAt;
    final long seq;
    long remaining;
    long earmarked;
    String voidedBy;

    MGrant(String id, GrantTerms terms, long granted, Instant createdAt, long seq) {
      this.id = id;
      this.terms = terms;
      this.granted = granted;
      this.createdAt = createdAt;
      this.seq = seq;
      this.remaining = granted;
    }

    MGrant copy() {
      MGrant g = new MGrant(id, terms, granted, createdAt, seq);
      g.remaining = remaining;
      g.earmarked = earmarked;
      g.voidedBy = voidedBy;
      return g;
    }

    boolean expiredAt(Instant now) {
      return terms.expiresAt() != null && !terms.expiresAt().isAfter(now);
    }

    /** When its remainder is to go: a void's at once, an expiry's at the expiry; else null. */
    Instant dueAt() {
      if (remaining == 0) {
        return null;
      }
      return voidedBy != null ? Instant.MIN : terms.expiresAt();
    }

    Grant asGrant() {
      return new Grant(
          id,
          terms.category(),
          granted,
          remaining,
          earmarked,
          terms.expiresAt(),
          terms.priority(),
          createdAt,
          seq,
          voidedBy);
    }

    /** Priority, then soonest expiry (never last), then promotional first, then oldest. */
    static final Comparator<MGrant> ORDER =
        Comparator.<MGrant>comparingInt(g -> g.terms.priority())
            .thenComparing(
                g -> g.terms.expiresAt(), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(g -> g.terms.category() == GrantCategory.PROMOTIONAL ? 0 : 1)
            .thenComparingLong(g -> g.seq);
  }

  /**
   * A remembered transaction: its payload, the balance right after it and, for a hold that ended,
   * how it ended and the balance right after the end.
   */
  record Tx(Payload payload, long balanceAfter, HoldEnd end, long endBalanceAfter) {}

  /** The model after a command, and the reply the entity must give. */
  record Step(Model after, Object reply) {}

  /**
   * The account in a few lines: a balance, the holds whose end is not recorded yet (live or due),
   * the remembered transactions and the number of events written. Commands work on a copy, kept
   * only when something was written.
   */
  static final class Model {
    long balance;
    long version;
    final TreeMap<String, Hold> open;
    final HashMap<String, Tx> txs;
    final List<MGrant> grants; // live grants, any order

    private Model(
        long balance,
        long version,
        TreeMap<String, Hold> open,
        HashMap<String, Tx> txs,
        List<MGrant> grants) {
      this.balance = balance;
      this.version = version;
      this.open = open;
      this.txs = txs;
      this.grants = grants;
    }

    static Model empty() {
      return new Model(0, 0, new TreeMap<>(), new HashMap<>(), new ArrayList<>());
    }

    Model copy() {
      List<MGrant> g = new ArrayList<>();
      grants.forEach(x -> g.add(x.copy()));
      return new Model(balance, version, new TreeMap<>(open), new HashMap<>(txs), g);
    }

    MGrant grant(String id) {
      return grants.stream().filter(g -> g.id.equals(id)).findFirst().orElse(null);
    }

    /** What {@code amount} takes from the grants in spending order. */
    List<GrantAmount> take(long amount) {
      List<GrantAmount> taken = new ArrayList<>();
      long left = amount;
      for (MGrant g : grants.stream().sorted(MGrant.ORDER).toList()) {
        if (left > 0 && g.remaining > 0) {
          long t = Math.min(left, g.remaining);
          taken.add(new GrantAmount(g.id, t));
          left -= t;
        }
      }
      return taken;
    }

    /** Grants with nothing left and nothing earmarked have ended. */
    void dropEnded() {
      grants.removeIf(g -> g.remaining == 0 && g.earmarked == 0);
    }

    /** The first grant whose remainder is due at {@code now}: earliest due, then spending order. */
    MGrant firstDueGrant(Instant now) {
      return grants.stream()
          .filter(g -> g.dueAt() != null && !g.dueAt().isAfter(now))
          .min(Comparator.comparing(MGrant::dueAt).thenComparing(MGrant.ORDER))
          .orElse(null);
    }

    /** A due grant's remainder goes: one event. */
    void removeRemainder(MGrant g) {
      balance -= g.remaining;
      g.remaining = 0;
      version++;
      dropEnded();
    }

    /** After a command: what a hold gave back to an expired or voided grant goes at once. */
    void settleGrants(Instant now) {
      for (MGrant g = firstDueGrant(now); g != null; g = firstDueGrant(now)) {
        removeRemainder(g);
      }
    }

    Step decideVoid(String accountId, Request r, Instant now) {
      Tx seen = txs.get(r.id());
      if (seen != null) {
        if (!seen.payload().equals(r.payload())) {
          return rejected(Rejection.IDEMPOTENCY_CONFLICT);
        }
        return new Step(this, new Accepted(view(accountId, now), seen.balanceAfter(), true));
      }
      Model next = copy();
      next.expireDue(now);
      MGrant g = next.grant(r.grantId());
      if (g == null) {
        return rejected(Rejection.NOT_FOUND);
      }
      if (g.voidedBy != null || g.remaining == 0) {
        return rejected(Rejection.GRANT_NOT_ACTIVE);
      }
      next.balance -= g.remaining;
      g.remaining = 0;
      g.voidedBy = r.id();
      next.dropEnded();
      next.version++;
      next.txs.put(r.id(), new Tx(r.payload(), next.balance, null, 0));
      return new Step(next, new Accepted(next.view(accountId, now), next.balance, false));
    }

    /** The id a void names: a live grant's, else any transaction's, else unknown. */
    String resolveGrant(int pick) {
      List<String> ids = grants.stream().map(g -> g.id).sorted().toList();
      if (ids.isEmpty()) {
        ids = txs.keySet().stream().sorted().toList();
      }
      return ids.isEmpty() ? "unknown-" + pick : ids.get(pick % ids.size());
    }

    Step decide(String accountId, Request r, Instant now) {
      if (r.kind() == Kind.VOID) {
        return decideVoid(accountId, r, now);
      }
      Duration ttl = r.ttl() == null ? settings.holdTtlDefault() : r.ttl();
      if (r.kind() == Kind.RESERVE
          && (ttl.compareTo(Duration.ofSeconds(1)) < 0
              || ttl.compareTo(settings.holdTtlMax()) > 0)) {
        return rejected(Rejection.INVALID_REQUEST);
      }
      Tx seen = txs.get(r.id());
      if (seen != null) {
        if (!seen.payload().equals(r.payload())) {
          return rejected(Rejection.IDEMPOTENCY_CONFLICT);
        }
        return new Step(this, new Accepted(view(accountId, now), replayedBalanceAfter(seen), true));
      }
      if (r.kind() == Kind.CREDIT
          && r.terms().expiresAt() != null
          && !r.terms().expiresAt().isAfter(now)) {
        return rejected(Rejection.INVALID_REQUEST);
      }
      Model next = copy();
      next.expireDue(now);
      switch (r.kind()) {
        case CREDIT -> {
          next.balance += r.amount();
          next.grants.add(new MGrant(r.id(), r.terms(), r.amount(), now, next.version + 1));
        }
        case DEBIT -> {
          if (r.amount() > next.available()) {
            return rejected(Rejection.INSUFFICIENT_CREDITS);
          }
          next.balance -= r.amount();
          for (GrantAmount a : next.take(r.amount())) {
            next.grant(a.grantId()).remaining -= a.amount();
          }
          next.dropEnded();
        }
        case RESERVE -> {
          if (next.open.size() >= settings.holdsPerAccountMax()) {
            return rejected(Rejection.TOO_MANY_HOLDS);
          }
          if (r.amount() > next.available()) {
            return rejected(Rejection.INSUFFICIENT_CREDITS);
          }
          List<GrantAmount> earmarks = next.take(r.amount());
          for (GrantAmount a : earmarks) {
            MGrant g = next.grant(a.grantId());
            g.remaining -= a.amount();
            g.earmarked += a.amount();
          }
          next.open.put(r.id(), new Hold(r.id(), r.amount(), now.plus(ttl), earmarks));
        }
        case VOID -> throw new IllegalStateException("decided apart");
      }
      next.version++;
      next.txs.put(r.id(), new Tx(r.payload(), next.balance, null, 0));
      return new Step(next, new Accepted(next.view(accountId, now), next.balance, false));
    }

    /** Capture or release. */
    Step end(String accountId, String holdId, HoldEnd end, Instant now) {
      Model next = copy();
      next.expireDue(now);
      Hold hold = next.open.get(holdId);
      if (hold == null) {
        Tx tx = next.txs.get(holdId);
        if (tx == null || tx.end() == null) {
          return rejected(Rejection.NOT_FOUND);
        }
        boolean sameEnd =
            tx.end() == end || (end == HoldEnd.RELEASED && tx.end() == HoldEnd.EXPIRED);
        if (!sameEnd) {
          return rejected(Rejection.HOLD_NOT_ACTIVE);
        }
        if (!open.containsKey(holdId)) {
          return new Step(this, new Accepted(view(accountId, now), tx.endBalanceAfter(), true));
        }
        // A release of a hold whose EXPIRE was not recorded yet records it and succeeds.
        return new Step(next, new Accepted(next.view(accountId, now), tx.endBalanceAfter(), false));
      }
      next.balance -= end == HoldEnd.CAPTURED ? hold.amount() : 0;
      next.open.remove(holdId);
      next.giveBack(hold, end == HoldEnd.CAPTURED);
      next.version++;
      long balanceAfter = next.balance;
      next.txs.put(holdId, ended(next.txs.get(holdId), end, balanceAfter));
      next.settleGrants(now);
      return new Step(next, new Accepted(next.view(accountId, now), balanceAfter, false));
    }

    Step get(String accountId, Instant now) {
      if (version == 0) {
        return rejected(Rejection.NOT_FOUND);
      }
      return new Step(this, new Accepted(view(accountId, now), balance, false));
    }

    Step wakeUp(Instant now) {
      Model next = copy();
      next.expireDue(now);
      Instant nextDue =
          java.util.stream.Stream.concat(
                  next.open.values().stream().map(Hold::expiresAt),
                  next.grants.stream()
                      .filter(g -> g.remaining > 0 && g.voidedBy == null)
                      .map(g -> g.terms.expiresAt())
                      .filter(java.util.Objects::nonNull))
              .min(Comparator.naturalOrder())
              .orElse(null);
      return new Step(next, new WakeupReply(nextDue));
    }

    /** A hold ended: a capture spends its earmarks, a release or expiry gives them back. */
    void giveBack(Hold hold, boolean spent) {
      for (GrantAmount a : hold.earmarks()) {
        MGrant g = grant(a.grantId());
        g.earmarked -= a.amount();
        if (!spent) {
          g.remaining += a.amount();
        }
      }
      dropEnded();
    }

    /**
     * Records every due hold expiry and grant expiry in the order they fell due (a grant before a
     * hold due at the same instant), and what an expired hold gives back to an expired grant right
     * after it.
     */
    void expireDue(Instant now) {
      while (true) {
        Hold h =
            open.values().stream()
                .filter(x -> !x.liveAt(now))
                .min(Comparator.comparing(Hold::expiresAt).thenComparing(Hold::id))
                .orElse(null);
        MGrant g = firstDueGrant(now);
        if (h == null && g == null) {
          return;
        }
        if (g != null && (h == null || !g.dueAt().isAfter(h.expiresAt()))) {
          removeRemainder(g);
        } else {
          open.remove(h.id());
          giveBack(h, false);
          version++;
          txs.put(h.id(), ended(txs.get(h.id()), HoldEnd.EXPIRED, balance));
        }
      }
    }

    /** A repeated reserve answers its own first balance, also after its hold ended. */
    private static long replayedBalanceAfter(Tx tx) {
      return tx.balanceAfter();
    }

    private static Tx ended(Tx opened, HoldEnd end, long balanceAfterEnd) {
      return new Tx(opened.payload(), opened.balanceAfter(), end, balanceAfterEnd);
    }

    /** Available once due holds are expired; only called on a model whose due holds are. */
    long available() {
      return balance - recordedReserved();
    }

    long recordedReserved() {
      return open.values().stream().mapToLong(Hold::amount).sum();
    }

    /** The account at {@code now}, with what is due by then expired, as the next command would. */
    AccountView view(String accountId, Instant now) {
      Model s = copy();
      s.expireDue(now);
      List<AccountView.HoldView> live =
          s.open.values().stream()
              .sorted(Comparator.comparing(Hold::expiresAt).thenComparing(Hold::id))
              .map(h -> new AccountView.HoldView(h.id(), h.amount(), h.expiresAt()))
              .toList();
      long reserved = live.stream().mapToLong(AccountView.HoldView::amount).sum();
      Grants grants = Grants.of(s.grants.stream().map(MGrant::asGrant).toList());
      return new AccountView(
          accountId,
          s.balance,
          reserved,
          s.balance - reserved,
          live,
          version,
          AccountView.GrantsView.of(grants));
    }

    /** The hold id a capture or release names: of the kind asked, else any hold, else unknown. */
    String resolve(Target target, Instant now) {
      List<String> ids =
          switch (target.kind()) {
            case LIVE -> open.values().stream().filter(h -> h.liveAt(now)).map(Hold::id).toList();
            case ENDED_OR_DUE ->
                txs.entrySet().stream()
                    .filter(
                        e ->
                            e.getValue().end() != null
                                || (open.containsKey(e.getKey())
                                    && !open.get(e.getKey()).liveAt(now)))
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
            case ANY_TRANSACTION -> txs.keySet().stream().sorted().toList();
            case UNKNOWN -> List.of();
          };
      if (ids.isEmpty() && target.kind() != TargetKind.UNKNOWN) {
        ids =
            txs.entrySet().stream()
                .filter(e -> e.getValue().payload().kind() == Kind.RESERVE)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
      }
      return ids.isEmpty() ? "unknown-" + target.pick() : ids.get(target.pick() % ids.size());
    }

    /** A live hold's or a live grant's expiry: where time travel goes. */
    Optional<Instant> liveExpiry(int pick, Instant now) {
      List<Instant> live =
          java.util.stream.Stream.concat(
                  open.values().stream().map(Hold::expiresAt),
                  grants.stream()
                      .filter(g -> g.remaining > 0)
                      .map(g -> g.terms.expiresAt())
                      .filter(java.util.Objects::nonNull))
              .filter(at -> at.isAfter(now))
              .sorted()
              .toList();
      return live.isEmpty() ? Optional.empty() : Optional.of(live.get(pick % live.size()));
    }

    /** A rejection writes nothing: the model stays as it was. */
    private Step rejected(Rejection reason) {
      return new Step(this, new Rejected(reason, ""));
    }
  }

  private static Settings smallLimits() {
    Config limits =
        ConfigFactory.parseString(
            "leadcredits.account.holds-per-account-max = 4\nleadcredits.snapshot-every-events = 10");
    return Settings.fromConfig(
        limits.withFallback(ConfigFactory.parseResources("leadcredits.conf")).resolve());
  }
}
