package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.support.EntityTestKits;
import io.leadcredits.support.InMemoryWakeupStore;
import io.leadcredits.support.MutableClock;
import io.leadcredits.support.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Commands that pile up behind a write go out together and each is answered exactly once. */
class AccountGateTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EntityTestKits.config());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aBurstOfCommandsIsDecidedInOrderAndEveryOneAnsweredOnce() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ActorRef<AccountCommand> gate =
        testKit.spawn(
            AccountGate.create(
                "gate-burst",
                TestSettings.defaults(),
                clock,
                new InMemoryWakeupStore(),
                SnapshotWriter.INLINE,
                AccountMetrics.NONE));
    TestProbe<AccountReply> probe = testKit.createTestProbe();
    gate.tell(new AccountCommand.Credit("seed", 1_000, Map.of(), probe.ref()));
    probe.expectMessageClass(AccountReply.Accepted.class);

    // 400 debits of 3 against 1,000 credits: exactly 333 fit, whatever the batching.
    List<TestProbe<AccountReply>> callers = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      TestProbe<AccountReply> caller = testKit.createTestProbe();
      callers.add(caller);
      gate.tell(new AccountCommand.Debit("d" + i, 3, Map.of(), caller.ref()));
      // Every tenth debit is sent twice: the repeat must be answered, not applied.
      if (i % 10 == 0) {
        gate.tell(new AccountCommand.Debit("d" + i, 3, Map.of(), caller.ref()));
      }
    }
    List<Integer> accepted = new ArrayList<>();
    for (int i = 0; i < callers.size(); i++) {
      AccountReply first = callers.get(i).receiveMessage(Duration.ofSeconds(10));
      if (first instanceof AccountReply.Accepted) {
        accepted.add(i);
      }
      if (i % 10 == 0) {
        AccountReply repeat = callers.get(i).receiveMessage(Duration.ofSeconds(10));
        assertThat(repeat.getClass()).isEqualTo(first.getClass());
      }
      callers.get(i).expectNoMessage(Duration.ofMillis(1));
    }
    // Decided in arrival order: the first 333 debits are the ones that fit.
    assertThat(accepted).hasSize(333).allSatisfy(i -> assertThat(i).isLessThan(333));
    gate.tell(new AccountCommand.Get(probe.ref()));
    AccountView view = probe.expectMessageClass(AccountReply.Accepted.class).view();
    assertThat(view.balance()).isEqualTo(1);
    assertThat(view.version()).isEqualTo(334);
  }

  @Test
  void aFailedOrRejectedWriteLeavesTheAccountServingTheCommandsAfterIt() {
    String accountId = "gate-faults";
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    ActorRef<AccountCommand> gate =
        testKit.spawn(
            AccountGate.create(
                accountId,
                TestSettings.defaults(),
                new MutableClock(Instant.parse("2026-01-01T00:00:00Z")),
                new InMemoryWakeupStore(),
                SnapshotWriter.INLINE,
                AccountMetrics.NONE));
    TestProbe<AccountReply> probe = testKit.createTestProbe();
    gate.tell(new AccountCommand.Credit("seed", 1_000, Map.of(), probe.ref()));
    probe.expectMessageClass(AccountReply.Accepted.class);

    String pid = Account.persistenceId(accountId).id();
    for (boolean reject : List.of(false, true)) {
      if (reject) {
        journal.rejectNextPersisted(pid);
      } else {
        journal.failNextPersisted(pid);
      }
      TestProbe<AccountReply> lost = testKit.createTestProbe();
      gate.tell(new AccountCommand.Debit("lost-" + reject, 5, Map.of(), lost.ref()));
      // Its outcome is unknown to its caller: no success, no refusal (the service answers 503).
      lost.expectNoMessage(Duration.ofMillis(300));
      gate.tell(new AccountCommand.Debit("next-" + reject, 7, Map.of(), probe.ref()));
      assertThat(probe.expectMessageClass(AccountReply.Accepted.class, Duration.ofSeconds(10)))
          .as("the account serves again after a %s write", reject ? "rejected" : "failed")
          .isNotNull();
    }
    gate.tell(new AccountCommand.Get(probe.ref()));
    AccountView view = probe.expectMessageClass(AccountReply.Accepted.class).view();
    assertThat(view.balance()).as("nothing of the lost writes landed").isEqualTo(1_000 - 7 - 7);
    assertThat(view.version()).isEqualTo(3);
  }
}
