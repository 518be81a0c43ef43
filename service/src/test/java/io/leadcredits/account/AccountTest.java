package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Rejection;
import io.leadcredits.account.AccountCommand.Batch;
import io.leadcredits.account.AccountCommand.Capture;
import io.leadcredits.account.AccountCommand.Credit;
import io.leadcredits.account.AccountCommand.Debit;
import io.leadcredits.account.AccountCommand.Get;
import io.leadcredits.account.AccountCommand.Release;
import io.leadcredits.account.AccountCommand.Reserve;
import io.leadcredits.account.AccountCommand.WakeUp;
import io.leadcredits.account.AccountReply.Accepted;
import io.leadcredits.account.AccountReply.Rejected;
import io.leadcredits.support.EntityTestKits;
import io.leadcredits.support.InMemoryWakeupStore;
import io.leadcredits.support.MutableClock;
import io.leadcredits.support.TestSettings;
import io.leadcredits.wakeup.WakeupReply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EntityTestKits.config());
  private static final AtomicInteger ids = new AtomicInteger();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryWakeupStore wakeups = new InMemoryWakeupStore();
  private EventSourcedBehaviorTestKit<AccountCommand, AccountEvent, AccountState> account;
  private String accountId;

  @BeforeEach
  void newAccount() {
    accountId = "tradie-" + ids.incrementAndGet();
    account =
        EventSourcedBehaviorTestKit.create(
            testKit.system(), Account.create(accountId, TestSettings.defaults(), clock, wakeups));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private CommandResultWithReply<AccountCommand, AccountEvent, AccountState, AccountReply> credit(
      String tx, long amount) {
    return account.runCommand(r -> new Credit(tx, amount, Map.of("reason", "top-up"), r));
  }

  private CommandResultWithReply<AccountCommand, AccountEvent, AccountState, AccountReply> debit(
      String tx, long amount) {
    return account.runCommand(r -> new Debit(tx, amount, Map.of(), r));
  }

  private AccountReply reserve(String holdId, long amount, Duration ttl) {
    TestProbe<AccountReply> probe = testKit.createTestProbe();
    account.runCommand(new Reserve(holdId, amount, ttl, Map.of(), probe.ref()));
    return probe.receiveMessage();
  }

  @Test
  void creditAddsToBalanceAndRecordsTheAuditEntry() {
    var result = credit("t1", 100);
    AccountEvent.Credited event = result.eventOfType(AccountEvent.Credited.class);
    assertThat(event.entry().balanceBefore()).isEqualTo(0);
    assertThat(event.entry().balanceAfter()).isEqualTo(100);
    assertThat(event.entry().metadata()).containsEntry("reason", "top-up");
    Accepted reply = result.replyOfType(Accepted.class);
    assertThat(reply.view().balance()).isEqualTo(100);
    assertThat(reply.view().available()).isEqualTo(100);
    assertThat(reply.view().version()).isEqualTo(1);
  }

  @Test
  void rejectsDebitBeyondAvailable() {
    credit("t1", 50);
    var result = debit("d1", 51);
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.replyOfType(Rejected.class).reason())
        .isEqualTo(Rejection.INSUFFICIENT_CREDITS);
    assertThat(result.state().balance()).isEqualTo(50);
  }

  @Test
  void debitOfExactlyTheBalanceLeavesZero() {
    credit("t1", 50);
    var result = debit("d1", 50);
    assertThat(result.replyOfType(Accepted.class).view().balance()).isZero();
  }

  @Test
  void repeatedTransactionIsAnsweredNotApplied() {
    credit("t1", 100);
    var again = credit("t1", 100);
    assertThat(again.hasNoEvents()).isTrue();
    Accepted reply = again.replyOfType(Accepted.class);
    assertThat(reply.replayed()).isTrue();
    assertThat(reply.balanceAfter()).isEqualTo(100);
    assertThat(again.state().balance()).isEqualTo(100);
  }

  @Test
  void sameTransactionIdWithAnotherPayloadIsAConflict() {
    credit("t1", 100);
    var other = credit("t1", 101);
    assertThat(other.hasNoEvents()).isTrue();
    assertThat(other.replyOfType(Rejected.class).reason())
        .isEqualTo(Rejection.IDEMPOTENCY_CONFLICT);
    var asDebit = debit("t1", 100);
    assertThat(asDebit.replyOfType(Rejected.class).reason())
        .isEqualTo(Rejection.IDEMPOTENCY_CONFLICT);
  }

  @Test
  void transactionIdsAreRememberedForTheIdempotencyWindowThenForgotten() {
    Duration window = TestSettings.defaults().idempotencyWindow();
    credit("first", 5);
    // A live grant keeps its id past the window (a top-up may not reuse it); spent, it is free.
    debit("spend-first", 5);
    clock.advance(Duration.ofHours(1));
    creditsUpToVersion(1_000); // the state looks for old ids every thousand events

    var withinWindow = credit("first", 6);
    assertThat(withinWindow.replyOfType(Rejected.class).reason())
        .isEqualTo(Rejection.IDEMPOTENCY_CONFLICT);

    clock.advance(window);
    creditsUpToVersion(2_000);

    var afterWindow = credit("first", 6);
    assertThat(afterWindow.eventOfType(AccountEvent.Credited.class).entry().amount()).isEqualTo(6);
    // Everything from the first hour aged out too; the thousand credits since are remembered.
    assertThat(afterWindow.state().transactions().size()).isEqualTo(1_001);
    assertThat(credit("c-1999", 1).replyOfType(Accepted.class).replayed()).isTrue();
  }

  private void creditsUpToVersion(long version) {
    long from = account.getState().version() + 1;
    for (long v = from; v <= version; v++) {
      credit("c-" + v, 1);
    }
  }

  @Test
  void reservationHoldsCreditsAndCaptureDebitsThemInOneStep() {
    credit("t1", 100);
    Accepted held = (Accepted) reserve("h1", 30, null);
    assertThat(held.view().reserved()).isEqualTo(30);
    assertThat(held.view().available()).isEqualTo(70);
    assertThat(held.view().holds())
        .extracting(AccountView.HoldView::expiresAt)
        .containsExactly(clock.instant().plus(TestSettings.defaults().holdTtlDefault()));
    assertThat(debit("d1", 71).replyOfType(Rejected.class).reason())
        .isEqualTo(Rejection.INSUFFICIENT_CREDITS);

    var captured = account.<AccountReply>runCommand(r -> new Capture("h1", r));
    AccountEvent.Captured event = captured.eventOfType(AccountEvent.Captured.class);
    assertThat(event.entry().balanceAfter()).isEqualTo(70);
    assertThat(event.entry().reservedAfter()).isZero();
    assertThat(captured.replyOfType(Accepted.class).view().available()).isEqualTo(70);

    var again = account.<AccountReply>runCommand(r -> new Capture("h1", r));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.replyOfType(Accepted.class).replayed()).isTrue();
    var release = account.<AccountReply>runCommand(r -> new Release("h1", r));
    assertThat(release.replyOfType(Rejected.class).reason()).isEqualTo(Rejection.HOLD_NOT_ACTIVE);
  }

  @Test
  void releaseGivesTheCreditsBack() {
    credit("t1", 100);
    reserve("h1", 60, null);
    var released = account.<AccountReply>runCommand(r -> new Release("h1", r));
    assertThat(released.eventOfType(AccountEvent.Released.class).entry().reservedAfter()).isZero();
    assertThat(released.replyOfType(Accepted.class).view().available()).isEqualTo(100);
    assertThat(
            account
                .<AccountReply>runCommand(r -> new Capture("h1", r))
                .replyOfType(Rejected.class)
                .reason())
        .isEqualTo(Rejection.HOLD_NOT_ACTIVE);
  }

  @Test
  void reservationBeyondAvailableIsRefused() {
    credit("t1", 10);
    assertThat(((Rejected) reserve("h1", 11, null)).reason())
        .isEqualTo(Rejection.INSUFFICIENT_CREDITS);
    assertThat(account.getState().holds().size()).isZero();
  }

  @Test
  void expiredHoldNoLongerCountsAgainstAvailable() {
    credit("t1", 100);
    reserve("h1", 80, Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(30));
    var read = account.<AccountReply>runCommand(Get::new);
    assertThat(read.replyOfType(Accepted.class).view().available()).isEqualTo(100);
    assertThat(read.replyOfType(Accepted.class).view().holds()).isEmpty();
    // The next change records the expiry first, in the same write.
    var spent = debit("d1", 100);
    assertThat(spent.events())
        .extracting(AccountEvent::type)
        .containsExactly(TransactionType.EXPIRE, TransactionType.DEBIT);
    assertThat(spent.state().balance()).isZero();
  }

  @Test
  void captureOfAnExpiredHoldIsRefused() {
    credit("t1", 100);
    reserve("h1", 80, Duration.ofSeconds(5));
    clock.advance(Duration.ofSeconds(6));
    var captured = account.<AccountReply>runCommand(r -> new Capture("h1", r));
    assertThat(captured.hasNoEvents()).isTrue();
    assertThat(captured.replyOfType(Rejected.class).reason()).isEqualTo(Rejection.HOLD_NOT_ACTIVE);
  }

  @Test
  void holdWritesItsDurableWakeupBeforeItsEventAndWakeUpRecordsTheExpiry() {
    credit("t1", 100);
    Instant reservedAt = clock.instant();
    reserve("h1", 40, Duration.ofSeconds(60));
    assertThat(wakeups.dueOf(Account.WAKEUP_TYPE, accountId)).contains(reservedAt);

    WakeupReply early = account.<WakeupReply>runCommand(WakeUp::new).reply();
    assertThat(early.nextDue()).isEqualTo(reservedAt.plusSeconds(60));

    clock.advance(Duration.ofSeconds(61));
    var woken = account.<WakeupReply>runCommand(WakeUp::new);
    assertThat(woken.events())
        .extracting(AccountEvent::type)
        .containsExactly(TransactionType.EXPIRE);
    assertThat(woken.reply().nextDue()).isNull();
    assertThat(woken.state().reserved()).isZero();
  }

  @Test
  void anExpiringTopUpWritesItsDurableWakeupBeforeItsEventAndWakeUpRecordsTheGrantsExpiry() {
    credit("paid", 10);
    Instant creditedAt = clock.instant();
    Instant expiry = creditedAt.plusSeconds(120);
    GrantTerms promo = new GrantTerms(GrantCategory.PROMOTIONAL, expiry, 50, null);
    assertThat(topUp("bonus", 25, promo)).isInstanceOf(Accepted.class);
    assertThat(wakeups.dueOf(Account.WAKEUP_TYPE, accountId)).contains(creditedAt);

    WakeupReply early = account.<WakeupReply>runCommand(WakeUp::new).reply();
    assertThat(early.nextDue()).isEqualTo(expiry);

    clock.advance(Duration.ofSeconds(121));
    var woken = account.<WakeupReply>runCommand(WakeUp::new);
    assertThat(woken.events())
        .extracting(AccountEvent::type)
        .containsExactly(TransactionType.GRANT_EXPIRED);
    assertThat(woken.events().get(0).entry().at()).isEqualTo(expiry);
    assertThat(woken.reply().nextDue()).isNull();
    assertThat(woken.state().balance()).isEqualTo(10);
    // A restart recovers the same grants.
    AccountState before = account.getState();
    assertThat(account.restart().state()).isEqualTo(before);
  }

  @Test
  void anExpiringTopUpIsRefusedAsUnavailableWhenItsWakeupCannotBeWritten() {
    wakeups.failing(true);
    GrantTerms promo =
        new GrantTerms(GrantCategory.PROMOTIONAL, clock.instant().plusSeconds(60), 50, null);
    assertThat(topUp("bonus", 25, promo)).isInstanceOf(AccountReply.Unavailable.class);
    assertThat(account.getState().version()).isZero();
    wakeups.failing(false);
    assertThat(topUp("bonus", 25, promo)).isInstanceOf(Accepted.class);
  }

  private AccountReply topUp(String tx, long amount, GrantTerms terms) {
    TestProbe<AccountReply> probe = testKit.createTestProbe();
    account.runCommand(new Credit(tx, amount, terms, Map.of(), probe.ref()));
    return probe.receiveMessage();
  }

  @Test
  void reservationIsRefusedAsUnavailableWhenItsWakeupCannotBeWritten() {
    credit("t1", 100);
    wakeups.failing(true);
    assertThat(reserve("h1", 40, null)).isInstanceOf(AccountReply.Unavailable.class);
    assertThat(account.getState().holds().size()).isZero();
    wakeups.failing(false);
    assertThat(reserve("h1", 40, null)).isInstanceOf(Accepted.class);
  }

  @Test
  void unknownAccountIsNotFoundAndDebitOfItIsInsufficient() {
    assertThat(account.<AccountReply>runCommand(Get::new).replyOfType(Rejected.class).reason())
        .isEqualTo(Rejection.NOT_FOUND);
    assertThat(debit("d1", 1).replyOfType(Rejected.class).reason())
        .isEqualTo(Rejection.INSUFFICIENT_CREDITS);
  }

  @Test
  void creditThatWouldOverflowIsRefused() {
    credit("t1", Long.MAX_VALUE - 5);
    var over = credit("t2", 6);
    assertThat(over.hasNoEvents()).isTrue();
    assertThat(over.replyOfType(Rejected.class).reason()).isEqualTo(Rejection.INVALID_REQUEST);
  }

  @Test
  void restartRecoversTheSameStateFromEventsAndSnapshots() {
    for (int i = 0; i < 250; i++) {
      credit("c" + i, 3);
    }
    reserve("h1", 100, null);
    debit("d1", 7);
    AccountState before = account.getState();
    AccountState after = account.restart().state();
    assertThat(after.balance()).isEqualTo(before.balance()).isEqualTo(743);
    assertThat(after.reserved()).isEqualTo(100);
    assertThat(after.version()).isEqualTo(before.version());
    assertThat(after.transaction("c7")).isPresent();
    assertThat(credit("c7", 3).replyOfType(Accepted.class).replayed()).isTrue();
  }

  /**
   * A failed write restarts the account but keeps the Account object. A reservation waiting for a
   * wake-up write whose answer is lost must still be answered, and what the account knew of that
   * write must not hold back the reservations after it.
   */
  @Test
  void aReservationWaitingForItsWakeupIsAnsweredWhenAFailedWriteRestartsTheAccount() {
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    TestProbe<AccountReply> replies = testKit.createTestProbe();
    ActorRef<AccountCommand> restarting = spawnWith100Credits(replies);

    wakeups.stalled(true);
    TestProbe<AccountReply> waiting = testKit.createTestProbe();
    restarting.tell(new Reserve("h1", 10, Duration.ofMinutes(5), Map.of(), waiting.ref()));
    journal.failNextPersisted(Account.persistenceId(accountId).id());
    restarting.tell(new Debit("d1", 5, Map.of(), replies.ref()));
    assertThat(waiting.expectMessageClass(AccountReply.Unavailable.class).detail())
        .contains("restarted");

    wakeups.stalled(false);
    restarting.tell(new Reserve("h2", 10, Duration.ofMinutes(5), Map.of(), waiting.ref()));
    assertThat(waiting.expectMessageClass(Accepted.class, Duration.ofSeconds(10)).view().reserved())
        .isEqualTo(10);
  }

  /**
   * The journal answers a failed write once per event; the answers after the first reach the
   * restarted account while it recovers. Commands that arrived during the restart's backoff must
   * still be answered once it has recovered, even if nothing else is ever sent to it.
   */
  @Test
  void commandsSentDuringTheBackoffOfAFailedWriteOfSeveralEventsAreAnswered() {
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    TestProbe<AccountReply> replies = testKit.createTestProbe();
    ActorRef<AccountCommand> restarting = spawnWith100Credits(replies);

    journal.failNextPersisted(Account.persistenceId(accountId).id());
    TestProbe<AccountReply> lost = testKit.createTestProbe();
    Batch twoEvents =
        new Batch(
            List.of(
                new Credit("c1", 1, Map.of(), lost.ref()),
                new Credit("c2", 2, Map.of(), lost.ref())));
    // Returns once the first failure answer has restarted the account: it is now backing off.
    LoggingTestKit.error("Failed to persist")
        .expect(
            testKit.system(),
            () -> {
              restarting.tell(twoEvents);
              return null;
            });
    restarting.tell(new Get(replies.ref()));
    restarting.tell(new Debit("d1", 5, Map.of(), replies.ref()));

    Duration beyondBackoff = Duration.ofSeconds(10);
    assertThat(replies.expectMessageClass(Accepted.class, beyondBackoff).view().balance())
        .isEqualTo(100);
    assertThat(replies.expectMessageClass(Accepted.class, beyondBackoff).balanceAfter())
        .isEqualTo(95);
    lost.expectNoMessage(Duration.ofMillis(100));
  }

  /** The account as a plain actor, not behind the testkit, so that it can restart by itself. */
  private ActorRef<AccountCommand> spawnWith100Credits(TestProbe<AccountReply> replies) {
    ActorRef<AccountCommand> account =
        testKit.spawn(Account.create(accountId, TestSettings.defaults(), clock, wakeups));
    account.tell(new Credit("seed", 100, Map.of(), replies.ref()));
    replies.expectMessageClass(Accepted.class);
    return account;
  }

  /** Reservations waiting for a wake-up write are bounded; beyond the bound the account sheds. */
  @Test
  void reservationsBeyondTheWaitingBoundAreRefusedAsOverloaded() {
    credit("seed", 1_000_000);
    wakeups.stalled(true);
    TestProbe<AccountReply> waiting = testKit.createTestProbe();
    for (int i = 0; i < Account.waitingReservesMax; i++) {
      account.runCommand(new Reserve("h" + i, 1, Duration.ofMinutes(5), Map.of(), waiting.ref()));
    }
    waiting.expectNoMessage(Duration.ofMillis(100));
    TestProbe<AccountReply> shed = testKit.createTestProbe();
    account.runCommand(new Reserve("one-more", 1, Duration.ofMinutes(5), Map.of(), shed.ref()));
    assertThat(shed.expectMessageClass(AccountReply.Overloaded.class).detail())
        .contains("too many reservations");
  }
}
