package io.leadcredits.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Ids;
import io.leadcredits.Rejection;
import io.leadcredits.account.Account;
import io.leadcredits.account.AccountCommand;
import io.leadcredits.account.AccountReply;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.metrics.Metrics;
import io.leadcredits.pricing.PriceSource;
import io.leadcredits.support.EntityTestKits;
import io.leadcredits.support.InMemoryWakeupStore;
import io.leadcredits.support.MutableClock;
import io.leadcredits.support.TestSettings;
import io.leadcredits.wakeup.WakeupReply;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * A voided lead's walk over its confirmed claims, on Pekko's in-memory journal: the journal is
 * initialised in each state a crash can leave between the void and its last refund, and the
 * restarted lead asks for exactly the refunds not recorded, each once, until each is recorded. The
 * refunds themselves are a stand-in that counts what it is asked (the refund entity's own
 * exactly-once credit is RefundTest's; the whole path is LeadVoidHttpTest's).
 */
class LeadVoidTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EntityTestKits.config());
  private static final AtomicInteger ids = new AtomicInteger();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryWakeupStore wakeups = new InMemoryWakeupStore();
  private final Map<String, ActorRef<AccountCommand>> accounts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
  private volatile boolean refundsCredit = true;
  private EventSourcedBehaviorTestKit<LeadCommand, LeadEvent, LeadState> lead;
  private String leadId;
  private String prefix;

  @BeforeEach
  void newLead() {
    prefix = "v" + ids.incrementAndGet() + "-";
    leadId = prefix + "lead";
    VoidRefunds refunds =
        (l, claim, by) -> {
          asked.computeIfAbsent(claim.claimId(), k -> new AtomicInteger()).incrementAndGet();
          return CompletableFuture.completedFuture(refundsCredit);
        };
    lead =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            Lead.create(
                leadId,
                TestSettings.defaults(),
                clock,
                wakeups,
                this::account,
                Metrics.none(),
                PriceSource.NONE,
                refunds));
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

  private LeadEvent[] twoWonThen(LeadEvent... more) {
    Instant t = clock.instant();
    LeadEvent[] base = {
      new LeadEvent.LeadCreated(10, 3, null, t),
      new LeadEvent.SlotTaken(claim("ann"), prefix + "ann", t),
      new LeadEvent.ClaimConfirmed(claim("ann"), prefix + "ann", 10, 90, t),
      new LeadEvent.SlotTaken(claim("bob"), prefix + "bob", t),
      new LeadEvent.ClaimConfirmed(claim("bob"), prefix + "bob", 10, 90, t)
    };
    LeadEvent[] all = new LeadEvent[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private String claim(String name) {
    return Ids.claimId(leadId, prefix + name);
  }

  private void awaitNothingOwed() {
    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              assertThat(lead.getState().refundsOwed()).isEmpty();
              return null;
            });
  }

  private int askedFor(String name) {
    AtomicInteger n = asked.get(claim(name));
    return n == null ? 0 : n.get();
  }

  @Test
  void aVoidWaitsForItsWakeupThenAsksForEachConfirmedClaimsRefundOnce() {
    lead.initialize(twoWonThen());
    var voided = lead.<LeadReply>runCommand(r -> new LeadCommand.VoidLead("fake", "admin", r));
    LeadReply.Accepted accepted = (LeadReply.Accepted) voided.reply();
    assertThat(accepted.view().status()).isEqualTo(LeadStatus.VOIDED);
    assertThat(wakeups.dueOf(Lead.WAKEUP_TYPE, leadId)).isPresent();
    awaitNothingOwed();
    assertThat(askedFor("ann")).isEqualTo(1);
    assertThat(askedFor("bob")).isEqualTo(1);
    var again = lead.<LeadReply>runCommand(r -> new LeadCommand.VoidLead("other", "admin", r));
    assertThat(((LeadReply.Accepted) again.reply()).replayed()).isTrue();
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(askedFor("ann")).isEqualTo(1);
  }

  @Test
  void crashRightAfterTheVoidRefundsEachClaimOnceOnRecovery() {
    lead.initialize(twoWonThen(new LeadEvent.LeadVoided("fake", "admin", clock.instant(), 2)));
    awaitNothingOwed();
    assertThat(askedFor("ann")).isEqualTo(1);
    assertThat(askedFor("bob")).isEqualTo(1);
    assertThat(lead.getState().refunded()).containsExactlyInAnyOrder(claim("ann"), claim("bob"));
  }

  @Test
  void crashAfterOneRefundWasRecordedAsksOnlyForTheOthers() {
    Instant t = clock.instant();
    lead.initialize(
        twoWonThen(
            new LeadEvent.LeadVoided("fake", "admin", t, 2),
            new LeadEvent.VoidRefunded(claim("ann"), t)));
    awaitNothingOwed();
    assertThat(askedFor("ann")).isZero();
    assertThat(askedFor("bob")).isEqualTo(1);
  }

  @Test
  void aRefundNotConfirmedIsAskedAgainByTheWakeupUntilItIs() {
    refundsCredit = false;
    lead.initialize(twoWonThen(new LeadEvent.LeadVoided("fake", "admin", clock.instant(), 2)));
    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              assertThat(askedFor("ann")).isEqualTo(1);
              assertThat(askedFor("bob")).isEqualTo(1);
              return null;
            });
    // The answers arrive as messages: the wake-up is a later message, so they came first.
    var owed = lead.<WakeupReply>runCommand(LeadCommand.WakeUp::new);
    assertThat(owed.reply().nextDue()).isNotNull();
    refundsCredit = true;
    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              var w = lead.<WakeupReply>runCommand(LeadCommand.WakeUp::new);
              assertThat(lead.getState().refundsOwed()).isEmpty();
              assertThat(w.reply().nextDue()).isNull();
              return null;
            });
    assertThat(lead.getState().refunded()).hasSize(2);
  }

  @Test
  void aClaimWhosePaymentWasUnderWayAtTheVoidIsConfirmedThenRefundedAndRefused() {
    String carl = fundedTradie("carl", 100);
    String claimId = Ids.claimId(leadId, carl);
    Instant t = clock.instant();
    lead.initialize(
        new LeadEvent.LeadCreated(10, 3, null, t),
        new LeadEvent.SlotTaken(claimId, carl, t),
        new LeadEvent.LeadVoided("fake", "admin", t, 0));
    awaitNothingOwed();
    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              assertThat(lead.getState().refunded()).containsExactly(claimId);
              return null;
            });
    assertThat(asked.get(claimId).get()).isEqualTo(1);
    TestProbe<ClaimReply> probe = testKit.createTestProbe();
    lead.runCommand(new LeadCommand.Claim(carl, probe.ref()));
    ClaimReply.Rejected refused = probe.expectMessageClass(ClaimReply.Rejected.class);
    assertThat(refused.reason()).isEqualTo(Rejection.LEAD_CLOSED);
  }
}
