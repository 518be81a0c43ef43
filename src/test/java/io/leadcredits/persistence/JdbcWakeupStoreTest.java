package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.leadcredits.wakeup.WakeupStore.Wakeup;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
