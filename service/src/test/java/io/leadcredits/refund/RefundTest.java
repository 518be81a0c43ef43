package io.leadcredits.refund;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Ids;
import io.leadcredits.account.Account;
import io.leadcredits.account.AccountCommand;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.GrantTerms;
import io.leadcredits.account.SpentGrant;
import io.leadcredits.support.EntityTestKits;
import io.leadcredits.support.InMemoryWakeupStore;
import io.leadcredits.support.MutableClock;
import io.leadcredits.support.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The refund entity against real account entities on Pekko's in-memory journal: an approval waits
 * for its durable wake-up, and a refund interrupted between any two steps (approved, credited,
 * recorded) resumes to one credit.
 */
class RefundTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EntityTestKits.config());
  private static final AtomicInteger ids = new AtomicInteger();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryWakeupStore wakeups = new InMemoryWakeupStore();
  private final Map<String, ActorRef<AccountCommand>> accounts = new ConcurrentHashMap<>();
  private EventSourcedBehaviorTestKit<RefundCommand, RefundEvent, RefundState> refund;
  private String tradie;
  private String claimId;
  private String refundId;
  private RefundClaim claim;

  @BeforeEach
  void aPaidClaim() {
    String prefix = "rt" + ids.incrementAndGet() + "-";
    tradie = prefix + "tradie";
    claimId = Ids.claimId(prefix + "lead", tradie);
    refundId = RefundRules.refundIdOf(claimId);
    TestProbe<AccountReply> probe = testKit.createTestProbe();
    account(tradie).tell(new AccountCommand.Credit(prefix + "pack", 100, Map.of(), probe.ref()));
    probe.expectMessageClass(AccountReply.Accepted.class);
    account(tradie)
        .tell(
            new AccountCommand.Debit(
                claimId,
                10,
                Map.of("leadId", prefix + "lead", "claimId", claimId, "reason", "lead claim"),
                probe.ref()));
    probe.expectMessageClass(AccountReply.Accepted.class);
    claim =
        new RefundClaim(
            claimId,
            prefix + "lead",
            tradie,
            10,
            clock.instant(),
            List.of(new SpentGrant(prefix + "pack", 10, GrantTerms.DEFAULT)));
    refund =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            Refund.create(refundId, TestSettings.defaults(), clock, wakeups, this::account));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private ActorRef<AccountCommand> account(String id) {
    return accounts.computeIfAbsent(
        id, i -> testKit.spawn(Account.create(i, TestSettings.defaults(), clock, wakeups)));
  }

  private long balance() {
    TestProbe<AccountReply> probe = testKit.createTestProbe();
    account(tradie).tell(new AccountCommand.Get(probe.ref()));
    return probe.expectMessageClass(AccountReply.Accepted.class).view().balance();
  }

  private void awaitCredited() {
    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              assertThat(refund.getState().credited()).isTrue();
              return null;
            });
  }

  private RefundEvent.RefundRequested requested() {
    return new RefundEvent.RefundRequested(claim, RefundReason.FAKE, null, false, clock.instant());
  }

  private RefundEvent.RefundApproved approved() {
    return new RefundEvent.RefundApproved(10, null, "ops", clock.instant(), false);
  }

  @Test
  void anApprovalIsWrittenOnlyOnceItsWakeupExistsAndIsCreditedOnce() {
    TestProbe<RefundReply> probe = testKit.createTestProbe();
    refund.runCommand(
        new RefundCommand.Request(claim, RefundReason.FAKE, null, false, probe.ref()));
    assertThat(probe.receiveMessage()).isInstanceOf(RefundReply.Accepted.class);
    wakeups.failing(true);
    refund.runCommand(new RefundCommand.Approve(null, "ok", "ops", probe.ref()));
    assertThat(probe.receiveMessage(Duration.ofSeconds(10)))
        .isInstanceOf(RefundReply.Unavailable.class);
    assertThat(refund.getState().status()).isEqualTo(RefundStatus.PENDING);
    assertThat(balance()).isEqualTo(90);
    wakeups.failing(false);
    refund.runCommand(new RefundCommand.Approve(null, "ok", "ops", probe.ref()));
    RefundReply reply = probe.receiveMessage(Duration.ofSeconds(10));
    assertThat(reply).isInstanceOf(RefundReply.Accepted.class);
    assertThat(wakeups.dueOf(Refund.WAKEUP_TYPE, refundId)).isPresent();
    awaitCredited();
    assertThat(balance()).isEqualTo(100);
  }

  @Test
  void aLeadVoidedIsAnsweredOnceCreditedAndItsRepeatsCreditNothingMore() {
    TestProbe<RefundReply> probe = testKit.createTestProbe();
    refund.runCommand(new RefundCommand.LeadVoided(claim, "ops", probe.ref()));
    RefundReply.Accepted first =
        probe.expectMessageClass(RefundReply.Accepted.class, Duration.ofSeconds(10));
    assertThat(first.refund().status()).isEqualTo(RefundStatus.APPROVED);
    assertThat(first.refund().reason()).isEqualTo(RefundReason.LEAD_VOIDED);
    assertThat(refund.getState().credited()).isTrue();
    assertThat(wakeups.dueOf(Refund.WAKEUP_TYPE, refundId)).isPresent();
    assertThat(balance()).isEqualTo(100);
    for (int i = 0; i < 3; i++) {
      refund.runCommand(new RefundCommand.LeadVoided(claim, "ops", probe.ref()));
      assertThat(probe.expectMessageClass(RefundReply.Accepted.class).replayed()).isTrue();
    }
    refund.restart();
    refund.runCommand(new RefundCommand.LeadVoided(claim, "ops", probe.ref()));
    assertThat(probe.expectMessageClass(RefundReply.Accepted.class).replayed()).isTrue();
    assertThat(balance()).isEqualTo(100);
  }

  @Test
  void aLeadVoidedApprovesARejectedRefundInFullAndCreditsIt() {
    refund.initialize(
        requested(), new RefundEvent.RefundRejected("not convinced", "ops", clock.instant()));
    TestProbe<RefundReply> probe = testKit.createTestProbe();
    refund.runCommand(new RefundCommand.LeadVoided(claim, "ops", probe.ref()));
    RefundReply.Accepted done =
        probe.expectMessageClass(RefundReply.Accepted.class, Duration.ofSeconds(10));
    assertThat(done.refund().status()).isEqualTo(RefundStatus.APPROVED);
    assertThat(done.refund().amount()).isEqualTo(10);
    assertThat(balance()).isEqualTo(100);
  }

  @Test
  void crashAfterTheVoidsApprovalCreditsOnceAndAnswersTheNextVoid() {
    refund.initialize(
        new RefundEvent.RefundRequested(
            claim, RefundReason.LEAD_VOIDED, null, false, clock.instant()),
        new RefundEvent.RefundApproved(10, "lead voided", "ops", clock.instant(), true));
    TestProbe<RefundReply> probe = testKit.createTestProbe();
    refund.runCommand(new RefundCommand.LeadVoided(claim, "ops", probe.ref()));
    probe.expectMessageClass(RefundReply.Accepted.class, Duration.ofSeconds(10));
    awaitCredited();
    assertThat(balance()).isEqualTo(100);
  }

  @Test
  void crashAfterApprovingResumesAndCreditsOnce() {
    refund.initialize(requested(), approved());
    refund.restart();
    awaitCredited();
    assertThat(balance()).isEqualTo(100);
    refund.restart();
    assertThat(refund.getState().credited()).isTrue();
    assertThat(balance()).isEqualTo(100);
  }

  @Test
  void crashAfterCreditingBeforeRecordingRecordsWithoutCreditingAgain() {
    TestProbe<AccountReply> probe = testKit.createTestProbe();
    // The credit landed, then the refund died before recording it.
    account(tradie)
        .tell(
            new AccountCommand.Refund(
                refundId,
                10,
                claim.spent(),
                Duration.ofDays(180),
                Map.of(
                    "claimId",
                    claimId,
                    "leadId",
                    claim.leadId(),
                    "refundId",
                    refundId,
                    "reason",
                    "refund"),
                probe.ref()));
    probe.expectMessageClass(AccountReply.Accepted.class);
    refund.initialize(requested(), approved());
    refund.restart();
    awaitCredited();
    assertThat(refund.getState().balanceAfter()).isEqualTo(100);
    assertThat(balance()).isEqualTo(100);
  }

  @Test
  void aWakeupFinishesAnOwedCreditAndThenSettles() {
    refund.initialize(requested(), approved());
    refund.restart();
    awaitCredited();
    TestProbe<io.leadcredits.wakeup.WakeupReply> probe = testKit.createTestProbe();
    refund.runCommand(new RefundCommand.WakeUp(probe.ref()));
    assertThat(probe.receiveMessage().nextDue()).isNull();
    assertThat(balance()).isEqualTo(100);
  }
}
