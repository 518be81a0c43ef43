package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.EngineKind;
import io.leadcredits.Rejection;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.AccountReply.Accepted;
import io.leadcredits.account.AccountReply.Rejected;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.support.Await;
import io.leadcredits.support.RunningService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An account keeps only its newest transaction ids in memory (16 here); a repeat of an older one is
 * answered from the journal exactly as the first time, before and after a restart, and a new id is
 * still applied.
 */
class ForgottenTransactionsTest {
  private static final int inMemory = 16;
  private static final String account = "fa";
  private static final ObjectMapper json = new ObjectMapper();

  @TempDir Path dataDir;

  private RunningService start() {
    return new RunningService(
        dataDir,
        EngineKind.ACTORS,
        Map.of("leadcredits.account.transactions-in-memory-max", inMemory));
  }

  private static AccountReply answer(CompletionStage<AccountReply> reply) {
    return reply.toCompletableFuture().join();
  }

  private static Accepted accepted(CompletionStage<AccountReply> reply) {
    AccountReply r = answer(reply);
    assertThat(r).isInstanceOf(Accepted.class);
    return (Accepted) r;
  }

  private static Rejection rejection(CompletionStage<AccountReply> reply) {
    AccountReply r = answer(reply);
    assertThat(r).isInstanceOf(Rejected.class);
    return ((Rejected) r).reason();
  }

  @Test
  void repeatsOfIdsMemoryNoLongerHasAreAnsweredFromTheJournalAsTheFirstTime() throws Exception {
    Map<String, Long> first = new LinkedHashMap<>();
    long captureBalance;
    long releaseBalance;
    try (RunningService service = start()) {
      CreditEngine engine = service.engine().credits();
      first.put(
          "topup", accepted(engine.credit(account, "topup", 100_000, Map.of())).balanceAfter());
      accepted(engine.reserve(account, "h-captured", 50, Duration.ofHours(1), Map.of()));
      captureBalance = accepted(engine.capture(account, "h-captured")).balanceAfter();
      accepted(engine.reserve(account, "h-released", 40, Duration.ofHours(1), Map.of()));
      releaseBalance = accepted(engine.release(account, "h-released")).balanceAfter();
      for (int i = 1; i <= 300; i++) {
        String id = "d-" + i;
        first.put(id, accepted(engine.debit(account, id, i % 7 + 1, Map.of())).balanceAfter());
      }
      repeatsAreAnsweredAsTheFirstTime(engine, first, captureBalance, releaseBalance);
    }
    assertMemoryIsBounded();
    try (RunningService service = start()) {
      repeatsAreAnsweredAsTheFirstTime(
          service.engine().credits(), first, captureBalance, releaseBalance);
      CreditEngine engine = service.engine().credits();
      Accepted fresh = accepted(engine.debit(account, "fresh", 1, Map.of()));
      assertThat(fresh.replayed()).isFalse();
      assertThat(fresh.balanceAfter()).isEqualTo(first.get("d-300") - 1);
    }
  }

  private void repeatsAreAnsweredAsTheFirstTime(
      CreditEngine engine, Map<String, Long> first, long captureBalance, long releaseBalance) {
    long balance = ((Accepted) answer(engine.account(account))).view().balance();
    long version = ((Accepted) answer(engine.account(account))).view().version();
    Accepted topup = accepted(engine.credit(account, "topup", 100_000, Map.of()));
    assertThat(topup.replayed()).isTrue();
    assertThat(topup.balanceAfter()).isEqualTo(first.get("topup"));
    for (int i = 1; i <= 300; i += 7) {
      String id = "d-" + i;
      Accepted again = accepted(engine.debit(account, id, i % 7 + 1, Map.of()));
      assertThat(again.replayed()).as(id).isTrue();
      assertThat(again.balanceAfter()).as(id).isEqualTo(first.get(id));
    }
    assertThat(rejection(engine.debit(account, "d-1", 99, Map.of())))
        .isEqualTo(Rejection.IDEMPOTENCY_CONFLICT);
    assertThat(rejection(engine.credit(account, "d-2", 3, Map.of())))
        .isEqualTo(Rejection.IDEMPOTENCY_CONFLICT);
    Accepted captured = accepted(engine.capture(account, "h-captured"));
    assertThat(captured.replayed()).isTrue();
    assertThat(captured.balanceAfter()).isEqualTo(captureBalance);
    assertThat(rejection(engine.release(account, "h-captured")))
        .isEqualTo(Rejection.HOLD_NOT_ACTIVE);
    Accepted released = accepted(engine.release(account, "h-released"));
    assertThat(released.replayed()).isTrue();
    assertThat(released.balanceAfter()).isEqualTo(releaseBalance);
    assertThat(rejection(engine.capture(account, "h-released")))
        .isEqualTo(Rejection.HOLD_NOT_ACTIVE);
    // Nothing of that was applied again.
    Accepted after = (Accepted) answer(engine.account(account));
    assertThat(after.view().balance()).isEqualTo(balance);
    assertThat(after.view().version()).isEqualTo(version);
  }

  /** The newest snapshot keeps at most the limit of ids in memory, and a filter for the rest. */
  private void assertMemoryIsBounded() throws Exception {
    try (Database db = Database.start(TestDatabases.embeddedIn(dataDir))) {
      Await.until(Duration.ofSeconds(10), "a snapshot of " + account, () -> snapshot(db) != null);
      JsonNode state = json.readTree(snapshot(db));
      assertThat(state.get("transactions").size()).isLessThanOrEqualTo(inMemory);
      assertThat(state.get("forgotten").size()).isPositive();
    }
  }

  private static String snapshot(Database db) {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT snapshot_payload FROM snapshot WHERE persistence_id = ?"
                    + " ORDER BY sequence_number DESC LIMIT 1")) {
      s.setString(1, "Account|" + account);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? new String(rs.getBytes(1), StandardCharsets.UTF_8) : null;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
