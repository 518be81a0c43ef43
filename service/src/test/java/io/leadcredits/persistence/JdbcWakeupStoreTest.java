package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.leadcredits.wakeup.WakeupReply;
import io.leadcredits.wakeup.WakeupStore.Wakeup;
import io.leadcredits.wakeup.WakeupSweeper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcWakeupStoreTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir static Path dataDir;
  private static Database db;
  private JdbcWakeupStore store;

  @BeforeAll
  static void startDatabase() {
    db = Database.start(TestDatabases.embeddedIn(dataDir));
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @BeforeEach
  void emptyTable() throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM wakeups");
    }
    store = new JdbcWakeupStore(db.dataSource());
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void returnsDueRemindersEarliestFirstUpToTheLimit() throws Exception {
    await(store.schedule("account", "b", T0.plusSeconds(2)));
    await(store.schedule("account", "a", T0.plusSeconds(1)));
    await(store.schedule("lead", "c", T0.plusSeconds(3)));

    assertThat(await(store.due(T0.plusSeconds(10), 2)))
        .extracting(Wakeup::entityId, Wakeup::dueAt)
        .containsExactly(tuple("a", T0.plusSeconds(1)), tuple("b", T0.plusSeconds(2)));
  }

  @Test
  void doesNotReturnRemindersNotYetDue() throws Exception {
    await(store.schedule("account", "a", T0.plusSeconds(1)));

    assertThat(await(store.due(T0, 10))).isEmpty();
    assertThat(await(store.due(T0.plusSeconds(1), 10))).hasSize(1);
  }

  @Test
  void keepsTheEarlierDueTimeOfTwoSchedules() throws Exception {
    await(store.schedule("account", "a", T0.plusSeconds(5)));
    await(store.schedule("account", "a", T0.plusSeconds(9)));
    await(store.schedule("account", "a", T0.plusSeconds(3)));

    assertThat(await(store.due(T0.plusSeconds(60), 10)))
        .extracting(Wakeup::entityId, Wakeup::dueAt)
        .containsExactly(tuple("a", T0.plusSeconds(3)));
  }

  @Test
  void settleWithoutNextRemovesTheReminder() throws Exception {
    await(store.schedule("account", "a", T0));
    Wakeup read = await(store.due(T0, 10)).get(0);

    await(store.settle(read, Optional.empty()));

    assertThat(await(store.due(T0.plusSeconds(60), 10))).isEmpty();
  }

  @Test
  void settleWithNextMovesTheReminder() throws Exception {
    await(store.schedule("account", "a", T0));
    Wakeup read = await(store.due(T0, 10)).get(0);

    await(store.settle(read, Optional.of(T0.plusSeconds(30))));

    assertThat(await(store.due(T0.plusSeconds(29), 10))).isEmpty();
    assertThat(await(store.due(T0.plusSeconds(30), 10)))
        .extracting(Wakeup::entityId, Wakeup::dueAt)
        .containsExactly(tuple("a", T0.plusSeconds(30)));
  }

  @Test
  void settleLeavesAReminderRescheduledEarlierSinceItWasRead() throws Exception {
    await(store.schedule("account", "a", T0));
    Wakeup read = await(store.due(T0, 10)).get(0);
    await(store.schedule("account", "a", T0.minusSeconds(1)));

    await(store.settle(read, Optional.empty()));

    assertThat(await(store.due(T0, 10)))
        .extracting(Wakeup::entityId, Wakeup::dueAt)
        .containsExactly(tuple("a", T0.minusSeconds(1)));
  }

  @Test
  void settleLeavesAReminderRewrittenWithTheSameDueTimeSinceItWasRead() throws Exception {
    await(store.schedule("lead", "l", T0));
    Wakeup read = await(store.due(T0, 10)).get(0);
    // The entity answered "nothing due", then took new work before the sweeper settled.
    await(store.schedule("lead", "l", T0.plusSeconds(10)));

    await(store.settle(read, Optional.empty()));

    assertThat(await(store.due(T0, 10))).extracting(Wakeup::entityId).containsExactly("l");
  }

  @Test
  void settlesAReminderScheduledWithSubMicrosecondPrecision() throws Exception {
    await(store.schedule("account", "a", T0.plusNanos(123_456_789)));
    Wakeup read = await(store.due(T0.plusSeconds(1), 10)).get(0);

    assertThat(read.dueAt()).isEqualTo(T0.plusNanos(123_456_000));
    await(store.settle(read, Optional.empty()));
    assertThat(await(store.due(T0.plusSeconds(1), 10))).isEmpty();
  }

  @Test
  void refusesALimitOutsideItsBounds() {
    assertThatThrownBy(() -> store.due(T0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.due(T0, JdbcWakeupStore.DUE_LIMIT_MAX + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClosedStoreFailsCallsInsteadOfRunningThem() {
    store.close();

    assertThatThrownBy(() -> await(store.schedule("account", "a", T0)))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RejectedExecutionException.class);
  }

  /**
   * Every node of a cluster runs a sweeper on the one table: both see the same due reminders and
   * wake the same entities (sharding routes each to its one owner, which answers a repeat with
   * nothing new). The versioned settle keeps exactly the right rows: moved when more work is due,
   * gone when none is, and kept when the entity announced new work while being woken, whichever
   * sweeper settles first.
   */
  @Test
  void twoNodesSweepingOneTableWakeEveryEntityAndSettleEachReminderRight() throws Exception {
    try (JdbcWakeupStore otherNode = new JdbcWakeupStore(db.dataSource())) {
      for (int i = 0; i < 60; i++) {
        await(store.schedule("account", "e" + i, T0));
      }
      Map<String, AtomicInteger> wakes = new ConcurrentHashMap<>();
      Instant later = T0.plusSeconds(100);
      Instant announced = T0.plusSeconds(50);
      WakeupSweeper.Waker waker =
          id -> {
            wakes.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            int n = Integer.parseInt(id.substring(1));
            if (n % 3 == 0) {
              return CompletableFuture.completedFuture(new WakeupReply(later));
            }
            if (n % 3 == 1) {
              return CompletableFuture.completedFuture(new WakeupReply(null));
            }
            // New work announced while being woken, then "nothing more": the row must survive.
            return store
                .schedule("account", id, announced)
                .thenApply(ignored -> new WakeupReply(null));
          };
      Clock clock = Clock.fixed(T0.plusSeconds(1), ZoneOffset.UTC);
      Map<String, WakeupSweeper.Waker> wakers = Map.of("account", waker);

      CompletableFuture<Integer> a =
          WakeupSweeper.sweep(store, wakers, clock).toCompletableFuture();
      CompletableFuture<Integer> b =
          WakeupSweeper.sweep(otherNode, wakers, clock).toCompletableFuture();
      a.get(30, TimeUnit.SECONDS);
      b.get(30, TimeUnit.SECONDS);

      assertThat(wakes).hasSize(60);
      Map<String, Instant> rows = new HashMap<>();
      for (Wakeup w : await(store.due(T0.plusSeconds(1_000), 100))) {
        rows.put(w.entityId(), w.dueAt());
      }
      for (int i = 0; i < 60; i++) {
        // Announced work keeps the row, at the earlier of the two times (schedule never delays a
        // reminder): the entity is simply woken once more.
        Instant expected = i % 3 == 0 ? later : i % 3 == 1 ? null : T0;
        assertThat(rows.get("e" + i)).as("reminder of e" + i).isEqualTo(expected);
      }
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
