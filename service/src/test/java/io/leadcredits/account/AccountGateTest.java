package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.leadcredits.Settings;
import io.leadcredits.support.Await;
import io.leadcredits.support.EntityTestKits;
import io.leadcredits.support.InMemoryWakeupStore;
import io.leadcredits.support.MutableClock;
import io.leadcredits.support.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess$;
import org.apache.pekko.persistence.testkit.WriteEvents;
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

  /**
   * A command set aside for a look-up is decided in the gate's next batch, written with the
   * commands that came in meanwhile: a look-up must not cost the account a write of its own, which
   * would hold every command behind it (under a hot account's look-ups, the rate halved).
   */
  @Test
  void aCommandThatWaitedForALookUpIsWrittenWithTheNextBatch() throws Exception {
    String accountId = "gate-lookup";
    String pid = Account.persistenceId(accountId).id();
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    List<List<String>> writes = new CopyOnWriteArrayList<>();
    AtomicReference<CountDownLatch> held = new AtomicReference<>(new CountDownLatch(0));
    List<Collection<String>> lookups = new CopyOnWriteArrayList<>();
    // The journal holds none of the ids asked: each "maybe" of the filter was a false one.
    TransactionLookup lookup =
        new TransactionLookup() {
          @Override
          public CompletionStage<List<AccountEvent>> events(
              String account, Collection<String> ids) {
            lookups.add(ids);
            return CompletableFuture.completedFuture(List.of());
          }
        };
    journal.withPolicy(
        new ProcessingPolicy<JournalOperation>() {
          @Override
          public ProcessingResult tryProcess(String persistenceId, JournalOperation op) {
            if (persistenceId.equals(pid) && op instanceof WriteEvents w) {
              writes.add(
                  w.getBatch().stream()
                      .map(e -> ((AccountEvent) e).entry().transactionId())
                      .toList());
              try {
                held.get().await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return ProcessingSuccess$.MODULE$;
          }
        });
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch second = new CountDownLatch(1);
    try {
      Settings settings =
          Settings.fromConfig(
              ConfigFactory.parseString("leadcredits.account.transactions-in-memory-max = 16")
                  .withFallback(ConfigFactory.parseResources("leadcredits.conf"))
                  .resolve());
      ActorRef<AccountCommand> gate =
          testKit.spawn(
              AccountGate.create(
                  accountId,
                  settings,
                  new MutableClock(Instant.parse("2026-01-01T00:00:00Z")),
                  new InMemoryWakeupStore(),
                  lookup,
                  SnapshotWriter.INLINE,
                  io.leadcredits.metrics.Metrics.none()));
      TestProbe<AccountReply> probe = testKit.createTestProbe();
      for (int i = 0; i < 40; i++) { // c-0 leaves memory for the filter
        gate.tell(new AccountCommand.Credit("c-" + i, 10, Map.of(), probe.ref()));
        probe.expectMessageClass(AccountReply.Accepted.class);
      }
      writes.clear();

      held.set(first);
      gate.tell(new AccountCommand.Credit("x1", 1, Map.of(), probe.ref())); // its write is held
      Await.until(Duration.ofSeconds(10), "the first write", () -> writes.size() == 1);
      gate.tell(new AccountCommand.Debit("c-0", 1, Map.of(), probe.ref())); // a "maybe"
      gate.tell(new AccountCommand.Credit("x2", 1, Map.of(), probe.ref()));
      held.set(second);
      first.countDown(); // c-0 is looked up while x2 is written, and x2's write is held
      Await.until(Duration.ofSeconds(10), "the second write", () -> writes.size() == 2);
      assertThat(lookups).hasSize(1);
      assertThat(lookups.get(0)).containsExactly("c-0");
      gate.tell(new AccountCommand.Credit("x3", 1, Map.of(), probe.ref()));
      held.set(new CountDownLatch(0));
      second.countDown();
      for (int i = 0; i < 4; i++) {
        assertThat(probe.receiveMessage(Duration.ofSeconds(10)))
            .isInstanceOf(AccountReply.Accepted.class);
      }
      gate.tell(new AccountCommand.Get(probe.ref()));
      probe.expectMessageClass(AccountReply.Accepted.class);
      assertThat(writes)
          .as("the debit that waited for its look-up went out with x3, not in a write of its own")
          .containsExactly(List.of("x1"), List.of("x2"), List.of("c-0", "x3"));
    } finally {
      journal.resetPolicy();
      held.set(new CountDownLatch(0));
      first.countDown(); // a failed check leaves no write held
      second.countDown();
    }
  }
}
