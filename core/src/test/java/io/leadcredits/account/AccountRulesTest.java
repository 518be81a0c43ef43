package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Rejection;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.account.AccountRules.Accept;
import io.leadcredits.account.AccountRules.Bounds;
import io.leadcredits.account.AccountRules.Decision;
import io.leadcredits.account.AccountRules.Reject;
import io.leadcredits.account.AccountState.HoldEnd;
import io.leadcredits.account.AccountState.TxRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The account's rulebook as a table: given a state, when a command, then the events or the
 * rejection. One row per rejection of each operation, in the order the ladder checks them (each
 * row's command would also break every later rung), then the acceptance. No actor system.
 */
class AccountRulesTest {
  private static final Instant now = Instant.parse("2026-12-07T10:00:00Z");
  private static final Bounds bounds = new Bounds(2, Duration.ofMinutes(5), Duration.ofHours(24));
  private static final Optional<TxRecord> unknown = Optional.empty();

  /** An account with {@code balance}, the open holds given (id, amount, expiry) and the records. */
  private static AccountState given(long balance, Object... holds) {
    AccountState s = AccountState.empty();
    if (balance > 0) {
      s = s.apply(new AccountEvent.Credited(entry(s, "topup", balance, balance, 0), "CREDIT"));
    }
    for (int i = 0; i < holds.length; i += 3) {
      String id = (String) holds[i];
      long amount = (Long) holds[i + 1];
      Instant expiresAt = (Instant) holds[i + 2];
      Entry e = entry(s, id, amount, s.balance(), s.reserved() + amount);
      s = s.apply(new AccountEvent.Reserved(e, "RESERVE|" + id, expiresAt));
    }
    return s;
  }

  private static Entry entry(AccountState s, String id, long amount, long after, long reserved) {
    return new Entry(
        id, amount, s.balance(), after, s.reserved(), reserved, now.minusSeconds(60), Map.of());
  }

  private static Optional<TxRecord> seen(String fingerprint, long balanceAfter) {
    return Optional.of(new TxRecord(fingerprint, balanceAfter, now.minusSeconds(30), null, 0));
  }

  private static Optional<TxRecord> ended(HoldEnd end, long endBalanceAfter) {
    return Optional.of(new TxRecord("fp", 100, now.minusSeconds(30), end, endBalanceAfter));
  }

  private static Arguments row(
      String when, Function<AccountState, Decision> command, AccountState given, Object then) {
    return Arguments.of(when, given, command, then);
  }

  static Stream<Arguments> table() {
    Instant later = now.plusSeconds(600);
    Instant due = now.minusSeconds(1);
    String creditFp = Fingerprints.credit(10, Map.of());
    String debitFp = Fingerprints.debit(10, Map.of());
    return Stream.of(
        // get
        row(
            "get of an account never written",
            s -> AccountRules.get(s, "a"),
            AccountState.empty(),
            Rejection.NOT_FOUND),
        // credit
        row(
            "credit of zero",
            s -> AccountRules.credit(s, seen("x", 1), "t", 0, Map.of(), now),
            given(10),
            Rejection.INVALID_REQUEST),
        row(
            "credit repeating an id with another request",
            s -> AccountRules.credit(s, seen("x", 1), "t", 10, Map.of(), now),
            given(10),
            Rejection.IDEMPOTENCY_CONFLICT),
        row(
            "credit past the largest balance",
            s -> AccountRules.credit(s, unknown, "t", Long.MAX_VALUE, Map.of(), now),
            given(10),
            Rejection.INVALID_REQUEST),
        row(
            "credit repeated",
            s -> AccountRules.credit(s, seen(creditFp, 7), "t", 10, Map.of(), now),
            given(10),
            new Accept(List.of(), 7, true)),
        row(
            "credit",
            s -> AccountRules.credit(s, unknown, "t", 10, Map.of(), now),
            given(10),
            List.of("CREDIT:20")),
        // debit
        row(
            "debit of zero",
            s -> AccountRules.debit(s, seen("x", 1), "t", 0, Map.of(), now),
            given(0),
            Rejection.INVALID_REQUEST),
        row(
            "debit repeating an id with another request",
            s -> AccountRules.debit(s, seen("x", 1), "t", 10, Map.of(), now),
            given(0),
            Rejection.IDEMPOTENCY_CONFLICT),
        row(
            "debit beyond available",
            s -> AccountRules.debit(s, unknown, "t", 10, Map.of(), now),
            given(15, "h", 6L, later),
            Rejection.INSUFFICIENT_CREDITS),
        row(
            "debit repeated",
            s -> AccountRules.debit(s, seen(debitFp, 3), "t", 10, Map.of(), now),
            given(0),
            new Accept(List.of(), 3, true)),
        row(
            "debit with an expired hold freeing the credits",
            s -> AccountRules.debit(s, unknown, "t", 10, Map.of(), now),
            given(15, "h", 6L, due),
            List.of("EXPIRE:15", "DEBIT:5")),
        // reserve
        row(
            "reserve for longer than the longest hold",
            s ->
                AccountRules.reserve(
                    s, bounds, seen("x", 1), "h", 0, Duration.ofDays(2), Map.of(), now),
            given(0),
            Rejection.INVALID_REQUEST),
        row(
            "reserve of zero",
            s -> AccountRules.reserve(s, bounds, seen("x", 1), "h", 0, null, Map.of(), now),
            given(0),
            Rejection.INVALID_REQUEST),
        row(
            "reserve repeating an id with another request",
            s -> AccountRules.reserve(s, bounds, seen("x", 1), "h", 10, null, Map.of(), now),
            given(0),
            Rejection.IDEMPOTENCY_CONFLICT),
        row(
            "reserve past the holds an account may have",
            s -> AccountRules.reserve(s, bounds, unknown, "h", 100, null, Map.of(), now),
            given(10, "a", 1L, later, "b", 1L, later),
            Rejection.TOO_MANY_HOLDS),
        row(
            "reserve beyond available",
            s -> AccountRules.reserve(s, bounds, unknown, "h", 10, null, Map.of(), now),
            given(15, "a", 6L, later),
            Rejection.INSUFFICIENT_CREDITS),
        row(
            "reserve",
            s -> AccountRules.reserve(s, bounds, unknown, "h", 10, null, Map.of(), now),
            given(15),
            List.of("RESERVE:15")),
        // capture and release
        row(
            "capture of no hold",
            s -> AccountRules.endHold(s, unknown, "h", HoldEnd.CAPTURED, now),
            given(10),
            Rejection.NOT_FOUND),
        row(
            "capture of a transaction that is no hold",
            s -> AccountRules.endHold(s, seen("x", 1), "h", HoldEnd.CAPTURED, now),
            given(10),
            Rejection.NOT_FOUND),
        row(
            "capture of a released hold",
            s -> AccountRules.endHold(s, ended(HoldEnd.RELEASED, 10), "h", HoldEnd.CAPTURED, now),
            given(10),
            Rejection.HOLD_NOT_ACTIVE),
        row(
            "capture of a hold that just expired",
            s -> AccountRules.endHold(s, unknown, "h", HoldEnd.CAPTURED, now),
            given(10, "h", 4L, due),
            Rejection.HOLD_NOT_ACTIVE),
        row(
            "capture repeated",
            s -> AccountRules.endHold(s, ended(HoldEnd.CAPTURED, 6), "h", HoldEnd.CAPTURED, now),
            given(6),
            new Accept(List.of(), 6, true)),
        row(
            "capture",
            s -> AccountRules.endHold(s, unknown, "h", HoldEnd.CAPTURED, now),
            given(10, "h", 4L, later),
            List.of("CAPTURE:6")),
        row(
            "release of a captured hold",
            s -> AccountRules.endHold(s, ended(HoldEnd.CAPTURED, 6), "h", HoldEnd.RELEASED, now),
            given(6),
            Rejection.HOLD_NOT_ACTIVE),
        row(
            "release of a hold that just expired",
            s -> AccountRules.endHold(s, unknown, "h", HoldEnd.RELEASED, now),
            given(10, "h", 4L, due),
            List.of("EXPIRE:10")),
        row(
            "release",
            s -> AccountRules.endHold(s, unknown, "h", HoldEnd.RELEASED, now),
            given(10, "h", 4L, later),
            List.of("RELEASE:10")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(
      String when, AccountState given, Function<AccountState, Decision> command, Object then) {
    Decision decision = command.apply(given);
    if (then instanceof Rejection reason) {
      assertThat(decision).isInstanceOf(Reject.class);
      assertThat(((Reject) decision).reason()).isEqualTo(reason);
    } else if (then instanceof Accept expected) {
      assertThat(decision).isEqualTo(expected);
    } else {
      // The events as TYPE:balanceAfter, and the state folds them.
      assertThat(decision).isInstanceOf(Accept.class);
      List<AccountEvent> events = ((Accept) decision).events();
      assertThat(events.stream().map(e -> e.type() + ":" + e.entry().balanceAfter()).toList())
          .isEqualTo(then);
      AccountState after = given;
      for (AccountEvent e : events) {
        after = after.apply(e);
      }
      assertThat(((Accept) decision).balanceAfter()).isEqualTo(after.balance());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void aRejectionChangesNothingAndSaysWhy(
      String when, AccountState given, Function<AccountState, Decision> command, Object then) {
    Decision decision = command.apply(given);
    if (decision instanceof Reject r) {
      assertThat(r.detail()).isNotBlank();
    } else {
      assertThat(then).isNotInstanceOf(Rejection.class);
    }
  }
}
