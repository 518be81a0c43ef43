package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.account.AccountEvent.Credited;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.account.AccountEvent.Reserved;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An account's memory of transaction ids is bounded by count; the rest goes to the filter. */
class AccountMemoryBoundTest {
  private static final Instant start = Instant.parse("2026-12-07T00:00:00Z");
  private static final int max = 1_000;

  private static AccountState credited(AccountState s, String id, int second) {
    Entry e =
        new Entry(
            id,
            1,
            s.balance(),
            s.balance() + 1,
            s.reserved(),
            s.reserved(),
            start.plusSeconds(second),
            Map.of());
    return s.apply(new Credited(e, Fingerprints.credit(1, Map.of()))).keepingInMemory(max);
  }

  @Test
  void keepsAtMostItsLimitInMemoryAndEveryOlderIdInTheFilter() {
    AccountState s = AccountState.empty();
    int n = 50_000;
    for (int i = 0; i < n; i++) {
      s = credited(s, "c-" + i, i);
      assertThat(s.transactions().size()).isLessThanOrEqualTo(max);
    }
    for (int i = 0; i < n; i++) {
      String id = "c-" + i;
      boolean known = s.transaction(id).isPresent() || s.mayHaveForgotten(id);
      assertThat(known).as(id).isTrue();
    }
    assertThat(s.transaction("c-" + (n - 1))).isPresent();
    assertThat(s.mayHaveForgotten("c-" + (n - 1))).isFalse();
    assertThat(s.forgotten().ids()).isEqualTo(n - s.transactions().size());
  }

  @Test
  void keepsAnOpenHoldInMemorySoItsEndCanBeRecorded() {
    AccountState s = credited(AccountState.empty(), "topup", 0);
    Entry hold = new Entry("h-1", 1, 1, 1, 0, 1, start.plusSeconds(1), Map.of());
    s = s.apply(new Reserved(hold, "RESERVE|1||{}", start.plusSeconds(3600))).keepingInMemory(max);
    for (int i = 0; i < 5 * max; i++) {
      s = credited(s, "c-" + i, i + 2);
    }
    assertThat(s.transaction("h-1")).isPresent();
    assertThat(s.transaction("topup")).isEmpty();
    assertThat(s.mayHaveForgotten("topup")).isTrue();
  }

  @Test
  void forgetsIdsOlderThanTheWindowFromMemoryAndFilterAlike() {
    AccountState s = AccountState.empty();
    for (int i = 0; i < 10 * max; i++) {
      s = credited(s, "c-" + i, i);
    }
    AccountState later = s.forgetBefore(start.plusSeconds(20 * max));
    assertThat(later.transactions().size()).isZero();
    assertThat(later.forgotten().isEmpty()).isTrue();
    assertThat(later.oldestTransactionAt()).isEmpty();
  }

  @Test
  void theRecordsOfAHoldFromTheJournalSayHowItEnded() {
    Entry opened = new Entry("h", 5, 10, 10, 0, 5, start, Map.of());
    Entry captured = new Entry("h", 5, 10, 5, 5, 0, start.plusSeconds(1), Map.of());
    var records =
        AccountState.records(
            java.util.List.of(
                new Reserved(opened, "fp", start.plusSeconds(60)),
                new AccountEvent.Captured(captured)));
    assertThat(records.get("h").fingerprint()).isEqualTo("fp");
    assertThat(records.get("h").balanceAfter()).isEqualTo(10);
    assertThat(records.get("h").holdEnd()).isEqualTo(AccountState.HoldEnd.CAPTURED);
    assertThat(records.get("h").endBalanceAfter()).isEqualTo(5);
  }
}
