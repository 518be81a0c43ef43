package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.persistence.SnapshotPruner;
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
                SnapshotPruner.NONE,
                io.leadcredits.metrics.Metrics.none()));
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
}
