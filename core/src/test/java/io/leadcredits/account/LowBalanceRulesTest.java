package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcredits.Limits;
import io.leadcredits.Rejection;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.account.AccountRules.Accept;
import io.leadcredits.account.AccountRules.Bounds;
import io.leadcredits.account.AccountRules.Decision;
import io.leadcredits.account.AccountRules.Reject;
import io.leadcredits.account.AccountState.HoldEnd;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The low-balance alert in the account's rulebook, as a table: given an account and its threshold,
 * when a command, then its events, each written as {@code TYPE:available-after} with {@code !T}
 * when it marks a fall below the threshold T. The setting's own ladder first (a row per rejection,
 * in order), then one row per way available moves.
 */
class LowBalanceRulesTest {
  private static final Instant now = Instant.parse("2026-12-07T10:00:00Z");
  private static final Bounds bounds = new Bounds(5, Duration.ofMinutes(5), Duration.ofHours(24));

  /** A paid grant of {@code balance}, the threshold, then holds (id, amount, expiry). */
  private static AccountState given(long balance, long threshold, Object... holds) {
    AccountState s = AccountState.empty();
    s = accepted(s, AccountRules.credit(s, Optional.empty(), "paid", balance, Map.of(), early()));
    s = accepted(s, AccountRules.setAlerts(s, threshold, early()));
    for (int i = 0; i < holds.length; i += 3) {
      Entry e =
          new Entry(
              (String) holds[i],
              (Long) holds[i + 1],
              s.balance(),
              s.balance(),
              s.reserved(),
              s.reserved() + (Long) holds[i + 1],
              early(),
              Map.of(),
              Entry.crossing(
                  threshold,
                  s.balance() - s.reserved(),
                  s.balance() - s.reserved() - (Long) holds[i + 1]));
      s = s.apply(new AccountEvent.Reserved(e, "RESERVE|" + holds[i], (Instant) holds[i + 2]));
    }
    return s;
  }

  /** {@link #given} and a promotional grant of {@code amount} spent last, expiring {@code at}. */
  private static AccountState withPromo(AccountState s, long amount, Instant at) {
    GrantTerms terms = new GrantTerms(GrantCategory.PROMOTIONAL, at, 90, null);
    return accepted(
        s, AccountRules.credit(s, Optional.empty(), "promo", amount, terms, Map.of(), early()));
  }

  private static Instant early() {
    return now.minusSeconds(60);
  }

  private static AccountState accepted(AccountState s, Decision d) {
    assertThat(d).isInstanceOf(Accept.class);
    for (AccountEvent e : ((Accept) d).events()) {
      s = s.apply(e);
    }
    return s;
  }

  private static Arguments row(
      String when, AccountState given, Function<AccountState, Decision> command, Object then) {
    return Arguments.of(when, given, command, then);
  }

  static Stream<Arguments> table() {
    Instant later = now.plusSeconds(600);
    Instant due = now.minusSeconds(1);
    return Stream.of(
        // the setting's ladder
        row(
            "a negative threshold",
            given(100, 0),
            s -> AccountRules.setAlerts(s, -1, now),
            Rejection.INVALID_REQUEST),
        row(
            "a threshold above the largest amount",
            given(100, 0),
            s -> AccountRules.setAlerts(s, Limits.amountCreditsMax + 1, now),
            Rejection.INVALID_REQUEST),
        row(
            "a threshold on an account never written",
            AccountState.empty(),
            s -> AccountRules.setAlerts(s, 10, now),
            Rejection.NOT_FOUND),
        row(
            "the threshold in force again",
            given(100, 40),
            s -> AccountRules.setAlerts(s, 40, now),
            new Accept(List.of(), 100, true)),
        row(
            "a threshold above available is set, and is no fall",
            given(100, 0),
            s -> AccountRules.setAlerts(s, 500, now),
            List.of("ALERTS_CHANGED:100")),
        // what moves available
        row(
            "a debit from above to below",
            given(150, 100),
            s -> debit(s, 60),
            List.of("DEBIT:90!100")),
        row(
            "a debit from exactly at to below",
            given(100, 100),
            s -> debit(s, 1),
            List.of("DEBIT:99!100")),
        row(
            "a debit landing exactly at the threshold",
            given(150, 100),
            s -> debit(s, 50),
            List.of("DEBIT:100")),
        row("a debit while below", given(90, 100), s -> debit(s, 10), List.of("DEBIT:80")),
        row("a debit with alerts off", given(150, 0), s -> debit(s, 60), List.of("DEBIT:90")),
        row(
            "a reservation from above to below",
            given(150, 100),
            s -> reserve(s, "h", 60),
            List.of("RESERVE:90!100")),
        row(
            "a capture leaves available as it is",
            given(150, 100, "h", 60L, later),
            s -> AccountRules.endHold(s, Optional.empty(), "h", HoldEnd.CAPTURED, now),
            List.of("CAPTURE:90")),
        row(
            "a release back above re-arms, announcing nothing",
            given(150, 100, "h", 60L, later),
            s -> AccountRules.endHold(s, Optional.empty(), "h", HoldEnd.RELEASED, now),
            List.of("RELEASE:150")),
        row(
            "a top-up back above announces nothing",
            given(90, 100),
            s -> AccountRules.credit(s, Optional.empty(), "t", 20, Map.of(), now),
            List.of("CREDIT:110")),
        row(
            "a hold's expiry recorded first re-arms it; the debit after it falls again",
            given(150, 100, "h", 60L, due),
            s -> debit(s, 60),
            List.of("EXPIRE:150", "DEBIT:90!100")),
        row(
            "a grant's expiry from above to below",
            withPromo(given(80, 100), 50, due),
            s -> wakeUp(s),
            List.of("GRANT_EXPIRED:80!100")),
        row(
            "a grant's expiry recorded before a top-up: the fall, then back above",
            withPromo(given(80, 100), 50, due),
            s -> AccountRules.credit(s, Optional.empty(), "t", 40, Map.of(), now),
            List.of("GRANT_EXPIRED:80!100", "CREDIT:120")),
        row(
            "a void from above to below",
            withPromo(given(80, 100), 50, later),
            s -> AccountRules.voidGrant(s, Optional.empty(), "v", "promo", "chargeback", now),
            List.of("GRANT_VOIDED:80!100")));
  }

  private static Decision debit(AccountState s, long amount) {
    return AccountRules.debit(s, Optional.empty(), "d", amount, Map.of(), now);
  }

  private static Decision reserve(AccountState s, String id, long amount) {
    return AccountRules.reserve(s, bounds, Optional.empty(), id, amount, null, Map.of(), now);
  }

  /** What the durable wake-up records: the expiries due, as one acceptance. */
  private static Decision wakeUp(AccountState s) {
    AccountRules.Expiries x = AccountRules.expiries(s, now);
    return new Accept(x.events(), x.after().balance(), false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(
      String when, AccountState given, Function<AccountState, Decision> command, Object then) {
    Decision d = command.apply(given);
    if (then instanceof Rejection r) {
      assertThat(d).isInstanceOf(Reject.class);
      assertThat(((Reject) d).reason()).isEqualTo(r);
    } else if (then instanceof Accept a) {
      assertThat(d).isEqualTo(a);
    } else {
      assertThat(d).isInstanceOf(Accept.class);
      AccountState s = given;
      List<String> shown = new ArrayList<>();
      for (AccountEvent e : ((Accept) d).events()) {
        s = s.apply(e); // the fold checks each mark against its own threshold
        Entry x = e.entry();
        shown.add(
            e.type()
                + ":"
                + x.availableAfter()
                + (x.lowBalance() == null ? "" : "!" + x.lowBalance()));
      }
      assertThat(shown).isEqualTo(then);
    }
  }

  /** Each fall is marked once: over a run of changes the marks are exactly the falls. */
  @Test
  void aRunOfChangesMarksExactlyEachFall() {
    AccountState s = given(200, 100);
    List<Long> marked = new ArrayList<>();
    long[] debits = {50, 60, 10, -100, 170, -300, 250, 1, 1};
    int n = 0;
    for (long amount : debits) {
      String id = "t" + n++;
      Decision d =
          amount > 0
              ? AccountRules.debit(s, Optional.empty(), id, amount, Map.of(), now)
              : AccountRules.credit(s, Optional.empty(), id, -amount, Map.of(), now);
      for (AccountEvent e : ((Accept) d).events()) {
        s = s.apply(e);
        if (e.entry().lowBalance() != null) {
          marked.add(e.entry().availableAfter());
        }
      }
    }
    // 200 →150 →90! →80 →180 →10! →310 →60! →59 →58
    assertThat(marked).containsExactly(90L, 10L, 60L);
  }

  @Test
  void theFoldRefusesAMarkThatIsNoFallAndAFallWithoutItsMark() {
    AccountState s = given(150, 100);
    Entry forged = new Entry("d", 10, 150, 140, 0, 0, now, Map.of(), 100L);
    assertThatThrownBy(() -> s.apply(new AccountEvent.Debited(forged, "f")))
        .isInstanceOf(IllegalStateException.class);
    Entry unmarked = new Entry("d", 60, 150, 90, 0, 0, now, Map.of());
    assertThatThrownBy(() -> s.apply(new AccountEvent.Debited(unmarked, "f")))
        .isInstanceOf(IllegalStateException.class);
  }
}
