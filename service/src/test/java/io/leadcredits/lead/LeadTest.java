package io.leadcredits.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Ids;
import io.leadcredits.Rejection;
import io.leadcredits.account.Account;
import io.leadcredits.account.AccountCommand;
import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.AccountRefs;
import io.leadcredits.account.AccountReply;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.support.EntityTestKits;
import io.leadcredits.support.InMemoryWakeupStore;
import io.leadcredits.support.MutableClock;
import io.leadcredits.support.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lead and its claim process, against real account entities on Pekko's in-memory journal. */
class LeadTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EntityTestKits.config());
  private static final AtomicInteger ids = new AtomicInteger();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryWakeupStore wakeups = new InMemoryWakeupStore();
  private final Map<String, ActorRef<AccountCommand>> accounts = new ConcurrentHashMap<>();
  private final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
  private EventSourcedBehaviorTestKit<LeadCommand, LeadEvent, LeadState> lead;
  private String leadId;
  private String prefix;

  @BeforeEach
  void newLead() {
    prefix = "r" + ids.incrementAndGet() + "-";
    leadId = prefix + "lead";
    lead =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            Lead.create(leadId, TestSettings.defaults(), clock, wakeups, this::account));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private ActorRef<AccountCommand> account(String id) {
    return accounts.computeIfAbsent(
        id, i -> testKit.spawn(Account.create(i, TestSettings.defaults(), clock, wakeups)));
  }

  private String fundedTradie(String name, long credits) {
    String id = prefix + name;
    TestProbe<AccountReply> probe = testKit.createTestProbe();
    account(id).tell(new AccountCommand.Credit("topup-" + id, credits, Map.of(), probe.ref()));
    probe.expectMessageClass(AccountReply.Accepted.class);
    return id;
  }

  private long balanceOf(String tradieId) {
    TestProbe<AccountReply> probe = testKit.createTestProbe();
    account(tradieId).tell(new AccountCommand.Get(probe.ref()));
    return probe.expectMessageClass(AccountReply.Accepted.class).view().balance();
  }

  private void publish(long cost, int maxClaims, Instant expiresAt) {
    var created =
        lead.<LeadReply>runCommand(r -> new LeadCommand.Create(cost, maxClaims, expiresAt, r));
    assertThat(created.reply()).isInstanceOf(LeadReply.Accepted.class);
  }

  private ClaimReply claim(String tradieId) {
    TestProbe<ClaimReply> probe = testKit.createTestProbe();
    lead.runCommand(new LeadCommand.Claim(tradieId, probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  @Test
  void createIsIdempotentForTheSameTermsAndAConflictForOthers() {
    publish(10, 3, null);
    var again = lead.<LeadReply>runCommand(r -> new LeadCommand.Create(10, 3, null, r));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(((LeadReply.Accepted) again.reply()).replayed()).isTrue();
    var other = lead.<LeadReply>runCommand(r -> new LeadCommand.Create(11, 3, null, r));
    assertThat(((LeadReply.Rejected) other.reply()).reason())
        .isEqualTo(Rejection.IDEMPOTENCY_CONFLICT);
  }

  @Test
  void claimTakesASlotPaysAndConfirms() {
    publish(10, 3, null);
    String tradie = fundedTradie("ann", 100);
    ClaimReply.Claimed won = (ClaimReply.Claimed) claim(tradie);
    assertThat(won.result().claimId()).isEqualTo(Ids.claimId(leadId, tradie));
    assertThat(won.result().creditsUsed()).isEqualTo(10);
    assertThat(won.result().balance()).isEqualTo(90);
    assertThat(balanceOf(tradie)).isEqualTo(90);
    LeadState state = lead.getState();
    assertThat(state.confirmed()).hasSize(1);
    assertThat(state.pending()).isEmpty();
    assertThat(wakeups.dueOf(Lead.WAKEUP_TYPE, leadId)).isPresent();
  }

  @Test
  void retriedClaimReturnsTheSameResultAndChargesNothing() {
    publish(10, 3, null);
    String tradie = fundedTradie("bob", 100);
    ClaimReply.Claimed first = (ClaimReply.Claimed) claim(tradie);
    ClaimReply.Claimed again = (ClaimReply.Claimed) claim(tradie);
    assertThat(again.result()).isEqualTo(first.result());
    assertThat(again.replayed()).isTrue();
    assertThat(balanceOf(tradie)).isEqualTo(90);
  }

  @Test
  void claimWithoutCreditsGivesTheSlotBack() {
    publish(10, 1, null);
    String poor = fundedTradie("poor", 5);
    assertThat(((ClaimReply.Rejected) claim(poor)).reason())
        .isEqualTo(Rejection.INSUFFICIENT_CREDITS);
    assertThat(lead.getState().slotsTaken()).isZero();
    assertThat(balanceOf(poor)).isEqualTo(5);
    String rich = fundedTradie("rich", 50);
    assertThat(claim(rich)).isInstanceOf(ClaimReply.Claimed.class);
  }

  @Test
  void fullLeadIsRefusedFromMemory() {
    publish(10, 1, null);
    assertThat(claim(fundedTradie("a", 10))).isInstanceOf(ClaimReply.Claimed.class);
    long version = lead.getState().version();
    assertThat(((ClaimReply.Rejected) claim(fundedTradie("b", 10))).reason())
        .isEqualTo(Rejection.LEAD_FULL);
    assertThat(lead.getState().version()).isEqualTo(version);
    assertThat(lead.getState().statusAt(clock.instant())).isEqualTo(LeadStatus.FULL);
  }

  @Test
  void closedOrExpiredLeadIsRefused() {
    publish(10, 3, clock.instant().plusSeconds(60));
    String tradie = fundedTradie("late", 100);
    clock.advance(Duration.ofSeconds(60));
    assertThat(((ClaimReply.Rejected) claim(tradie)).reason()).isEqualTo(Rejection.LEAD_CLOSED);
    assertThat(balanceOf(tradie)).isEqualTo(100);
  }

  @Test
  void manyTradiesRushingTakeExactlyMaxClaims() {
    publish(7, 3, null);
    List<TestProbe<ClaimReply>> probes = new ArrayList<>();
    List<String> tradies = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tradies.add(fundedTradie("t" + i, 20));
    }
    for (String t : tradies) {
      TestProbe<ClaimReply> p = testKit.createTestProbe();
      probes.add(p);
      lead.runCommand(new LeadCommand.Claim(t, p.ref()));
    }
    long won =
        probes.stream()
            .map(p -> p.receiveMessage(Duration.ofSeconds(10)))
            .filter(r -> r instanceof ClaimReply.Claimed)
            .count();
    assertThat(won).isEqualTo(3);
    assertThat(lead.getState().confirmed()).hasSize(3);
    long charged = tradies.stream().filter(t -> balanceOf(t) == 13).count();
    assertThat(charged).isEqualTo(3);
    assertThat(tradies.stream().filter(t -> balanceOf(t) == 20).count()).isEqualTo(47);
  }

  @Test
  void crashAfterTakingTheSlotResumesAndPaysOnce() {
    String tradie = fundedTradie("crash1", 100);
    String claimId = Ids.claimId(leadId, tradie);
    Instant t = clock.instant();
    lead.initialize(
        new LeadEvent.LeadCreated(10, 3, null, t), new LeadEvent.SlotTaken(claimId, tradie, t));
    lead.restart();
    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              assertThat(lead.getState().confirmed()).hasSize(1);
              return null;
            });
    assertThat(balanceOf(tradie)).isEqualTo(90);
  }

  @Test
  void crashAfterPayingBeforeConfirmingConfirmsWithoutChargingAgain() {
    String tradie = prefix + "crash2";
    String claimId = Ids.claimId(leadId, tradie);
    Instant t = clock.instant();
    journal.persistForRecovery(
        Account.persistenceId(tradie).id(),
        List.of(
            new AccountEvent.Credited(
                new AccountEvent.Entry("topup", 100, 0, 100, 0, 0, t, Map.of()), "CREDIT|100||{}"),
            new AccountEvent.Debited(
                new AccountEvent.Entry(
                    claimId,
                    10,
                    100,
                    90,
                    0,
                    0,
                    t,
                    Map.of("leadId", leadId, "claimId", claimId, "reason", "lead claim")),
                "DEBIT|10||{claimId=" + claimId + ", leadId=" + leadId + ", reason=lead claim}")));
    lead.initialize(
        new LeadEvent.LeadCreated(10, 3, null, t), new LeadEvent.SlotTaken(claimId, tradie, t));
    lead.restart();
    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              assertThat(lead.getState().confirmed()).hasSize(1);
              return null;
            });
    assertThat(lead.getState().confirmed().get(0).balanceAfter()).isEqualTo(90);
    assertThat(balanceOf(tradie)).isEqualTo(90);
  }

  @Test
  void crashAfterConfirmingChangesNothingOnRecovery() {
    publish(10, 3, null);
    String tradie = fundedTradie("crash3", 100);
    claim(tradie);
    LeadState before = lead.getState();
    assertThat(lead.restart().state()).isEqualTo(before);
    assertThat(balanceOf(tradie)).isEqualTo(90);
  }

  @Test
  void claimsWaitForTheDurableWakeupAndAreRefusedWhenItCannotBeWritten() {
    wakeups.failing(true);
    publish(10, 3, null);
    assertThat(claim(fundedTradie("w", 100))).isInstanceOf(ClaimReply.Pending.class);
    assertThat(lead.getState().slotsTaken()).isZero();
    wakeups.failing(false);
    assertThat(claim(fundedTradie("w2", 100))).isInstanceOf(ClaimReply.Claimed.class);
  }

  @Test
  void theWakeupIsWrittenWhenTheLeadIsPublishedSoTheRushNeedsNone() {
    publish(10, 3, null);
    assertThat(wakeups.dueOf(Lead.WAKEUP_TYPE, leadId)).isPresent();
    wakeups.failing(true);
    assertThat(claim(fundedTradie("early", 100))).isInstanceOf(ClaimReply.Claimed.class);
  }

  /**
   * A paid claim is decided once its debit is durable, so its caller is answered then and the
   * confirmation is written behind the answer: while that write keeps failing the caller already
   * has its answer, and once it succeeds the restarted lead has confirmed the same claim, charged
   * once.
   */
  @Test
  void aPaidClaimIsAnsweredBeforeItsConfirmationIsWritten() {
    String tradie = fundedTradie("early", 100);
    ActorRef<LeadCommand> entity =
        testKit.spawn(Lead.create(leadId, TestSettings.defaults(), clock, wakeups, this::account));
    TestProbe<LeadReply> created = testKit.createTestProbe();
    entity.tell(new LeadCommand.Create(10, 3, null, created.ref()));
    created.expectMessageClass(LeadReply.Accepted.class);

    String pid = Lead.persistenceId(leadId).id();
    journal.failNextNOpsCond(
        (persistenceId, op) ->
            persistenceId.equals(pid)
                && op instanceof WriteEvents w
                && w.getBatch().stream().anyMatch(LeadEvent.ClaimConfirmed.class::isInstance),
        Integer.MAX_VALUE);
    try {
      TestProbe<ClaimReply> caller = testKit.createTestProbe();
      entity.tell(new LeadCommand.Claim(tradie, caller.ref()));
      ClaimReply.Claimed won =
          caller.expectMessageClass(ClaimReply.Claimed.class, Duration.ofSeconds(10));
      assertThat(won.result().balance()).isEqualTo(90);
      assertThat(journal.persistedInStorage(pid))
          .noneMatch(LeadEvent.ClaimConfirmed.class::isInstance);
    } finally {
      journal.resetPolicy();
    }

    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(20),
            () -> {
              assertThat(journal.persistedInStorage(pid))
                  .filteredOn(LeadEvent.ClaimConfirmed.class::isInstance)
                  .singleElement()
                  .extracting(e -> ((LeadEvent.ClaimConfirmed) e).balanceAfter())
                  .isEqualTo(90L);
              return null;
            });
    assertThat(balanceOf(tradie)).isEqualTo(90);
  }

  /**
   * A failed write restarts the lead but keeps the Lead object: what it knew of its running claim
   * processes and its wake-up must not survive, or the claim it held is never paid and new claims
   * queue forever.
   */
  @Test
  void aLeadRestartedByAFailedWriteFinishesTheClaimItHeldAndTakesNewOnes() {
    String held = fundedTradie("held", 100);
    String late = fundedTradie("late", 100);
    TestProbe<AccountCommand> heldAccount = testKit.createTestProbe();
    AccountRefs refs = id -> id.equals(held) ? heldAccount.ref() : account(id);
    ActorRef<LeadCommand> restarting =
        testKit.spawn(Lead.create(leadId, TestSettings.defaults(), clock, wakeups, refs));
    TestProbe<LeadReply> created = testKit.createTestProbe();
    restarting.tell(new LeadCommand.Create(10, 3, null, created.ref()));
    created.expectMessageClass(LeadReply.Accepted.class);

    TestProbe<ClaimReply> heldReply = testKit.createTestProbe();
    restarting.tell(new LeadCommand.Claim(held, heldReply.ref()));
    AccountCommand.Debit firstAsk = heldAccount.expectMessageClass(AccountCommand.Debit.class);

    journal.failNextPersisted(Lead.persistenceId(leadId).id());
    TestProbe<ClaimReply> lost = testKit.createTestProbe();
    restarting.tell(new LeadCommand.Claim(late, lost.ref()));
    assertThat(lost.expectMessageClass(ClaimReply.Pending.class).claimId()).isNull();

    // Well within the ask timeout, so this is the restarted lead asking, not the first process.
    AccountCommand.Debit again =
        heldAccount.expectMessageClass(AccountCommand.Debit.class, Duration.ofSeconds(3));
    assertThat(again.transactionId()).isEqualTo(firstAsk.transactionId());
    account(held).tell(again);
    assertThat(heldReply.expectMessageClass(ClaimReply.Claimed.class).result().balance())
        .isEqualTo(90);

    TestProbe<ClaimReply> retried = testKit.createTestProbe();
    restarting.tell(new LeadCommand.Claim(late, retried.ref()));
    assertThat(retried.expectMessageClass(ClaimReply.Claimed.class, Duration.ofSeconds(10)))
        .isNotNull();
    assertThat(balanceOf(held)).isEqualTo(90);
    assertThat(balanceOf(late)).isEqualTo(90);
  }
}
