package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Limits;
import io.leadcredits.Rejection;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.account.AccountRules.Accept;
import io.leadcredits.account.AccountRules.Bounds;
import io.leadcredits.account.AccountRules.Decision;
import io.leadcredits.account.AccountRules.Reject;
import io.leadcredits.account.AccountState.HoldEnd;
import io.leadcredits.account.AccountState.TxRecord;
import io.leadcredits.account.GrantTerms.Price;
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
 * The grant rules of the account's rulebook: a top-up is a grant, debits and holds spend grants in
 * the stated order, remainders expire on their own expiry and never pay after it (recorded or not),
 * voids take a remainder once. First a table of rejections in ladder order, then one test per rule,
 * among them the known bugs of other credit ledgers.
 */
class GrantRulesTest {
  private static final Instant t0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final Bounds bounds = new Bounds(10, Duration.ofMinutes(5), Duration.ofHours(24));
  private static final Optional<TxRecord> unknown = Optional.empty();

  private static GrantTerms paid() {
    return GrantTerms.DEFAULT;
  }

  private static GrantTerms promo(Instant expiresAt) {
    return new GrantTerms(GrantCategory.PROMOTIONAL, expiresAt, 50, null);
  }

  private static GrantTerms terms(GrantCategory c, Instant expiresAt, int priority) {
    return new GrantTerms(c, expiresAt, priority, null);
  }

  /** The account after every decision in order; each must be accepted. */
  private static final class Account {
    AccountState state = AccountState.empty();
    final List<AccountEvent> trail = new ArrayList<>();

    Account credit(String id, long amount, GrantTerms terms, Instant at) {
      return accept(AccountRules.credit(state, unknown, id, amount, terms, Map.of(), at));
    }

    Account debit(String id, long amount, Instant at) {
      return accept(AccountRules.debit(state, unknown, id, amount, Map.of(), at));
    }

    Account reserve(String id, long amount, Duration ttl, Instant at) {
      return accept(AccountRules.reserve(state, bounds, unknown, id, amount, ttl, Map.of(), at));
    }

    Account end(String holdId, HoldEnd end, Instant at) {
      return accept(AccountRules.endHold(state, unknown, holdId, end, at));
    }

    Account voidGrant(String id, String grantId, Instant at) {
      return accept(AccountRules.voidGrant(state, unknown, id, grantId, "chargeback", at));
    }

    Account wakeUp(Instant at) {
      AccountRules.Expiries due = AccountRules.expiries(state, at);
      due.events().forEach(this::apply);
      return this;
    }

    Account accept(Decision d) {
      assertThat(d).as("decision").isInstanceOf(Accept.class);
      ((Accept) d).events().forEach(this::apply);
      return this;
    }

    void apply(AccountEvent e) {
      state = state.apply(e);
      trail.add(e);
    }

    /** The trail from {@code from} on as TYPE:amount[:grant], one string per event. */
    List<String> trailFrom(int from) {
      return trail.subList(from, trail.size()).stream().map(GrantRulesTest::describe).toList();
    }

    Grant grant(String id) {
      return state.grants().get(id).orElseThrow();
    }

    long remaining(String id) {
      return state.grants().get(id).map(Grant::remaining).orElse(0L);
    }
  }

  private static String describe(AccountEvent e) {
    String s = e.type() + ":" + e.entry().amount();
    if (e instanceof AccountEvent.Debited d) {
      s += d.grants();
    } else if (e instanceof AccountEvent.Reserved r) {
      s += r.grants();
    } else if (e instanceof AccountEvent.Captured c) {
      s += c.grants();
    } else if (e instanceof AccountEvent.GrantExpired x) {
      s += ":" + x.grantId();
    } else if (e instanceof AccountEvent.GrantVoided v) {
      s += ":" + v.grantId();
    }
    return s;
  }

  private static List<GrantAmount> take(Object... idAmount) {
    List<GrantAmount> list = new ArrayList<>();
    for (int i = 0; i < idAmount.length; i += 2) {
      list.add(new GrantAmount((String) idAmount[i], ((Number) idAmount[i + 1]).longValue()));
    }
    return list;
  }

  // ---- the ladders -----------------------------------------------------------------------------

  private static Arguments row(
      String when, Function<AccountState, Decision> command, Rejection then) {
    return Arguments.of(when, command, then);
  }

  static Stream<Arguments> rejections() {
    Optional<TxRecord> seenOther = Optional.of(new TxRecord("x", 1, t0, null, 0));
    Instant past = t0.minusSeconds(1);
    return Stream.of(
        // credit: amount, terms, conflict, (repeat), expiry against the time, overflow, grants
        row(
            "credit with a priority above 100",
            s ->
                AccountRules.credit(
                    s, seenOther, "t", 10, terms(GrantCategory.PAID, past, 101), Map.of(), t0),
            Rejection.INVALID_REQUEST),
        row(
            "credit with a priority below 0",
            s ->
                AccountRules.credit(
                    s, seenOther, "t", 10, terms(GrantCategory.PAID, null, -1), Map.of(), t0),
            Rejection.INVALID_REQUEST),
        row(
            "promotional credit with a price",
            s ->
                AccountRules.credit(
                    s,
                    seenOther,
                    "t",
                    10,
                    new GrantTerms(GrantCategory.PROMOTIONAL, null, 50, new Price(100, "AUD")),
                    Map.of(),
                    t0),
            Rejection.INVALID_REQUEST),
        row(
            "paid credit priced in no currency",
            s ->
                AccountRules.credit(
                    s,
                    seenOther,
                    "t",
                    10,
                    new GrantTerms(GrantCategory.PAID, null, 50, new Price(100, "dollars")),
                    Map.of(),
                    t0),
            Rejection.INVALID_REQUEST),
        row(
            "credit repeating an id with other grant terms",
            s -> AccountRules.credit(s, seenOther, "t", 10, promo(past), Map.of(), t0),
            Rejection.IDEMPOTENCY_CONFLICT),
        row(
            "credit whose new id names a live grant (the id was used before the window)",
            s -> AccountRules.credit(s, unknown, "paid", 10, paid(), Map.of(), t0),
            Rejection.IDEMPOTENCY_CONFLICT),
        row(
            "credit expiring now",
            s -> AccountRules.credit(s, unknown, "t", 10, promo(t0), Map.of(), t0),
            Rejection.INVALID_REQUEST),
        row(
            "credit expiring in the past",
            s -> AccountRules.credit(s, unknown, "t", 10, promo(past), Map.of(), t0),
            Rejection.INVALID_REQUEST),
        row(
            "credit expiring more than ten years ahead",
            s ->
                AccountRules.credit(
                    s,
                    unknown,
                    "t",
                    10,
                    promo(t0.plus(Limits.grantLifetimeMax).plusSeconds(1)),
                    Map.of(),
                    t0),
            Rejection.INVALID_REQUEST),
        // void: reason, conflict, (repeat), no live grant, nothing left to void
        row(
            "void with a reason too long",
            s -> AccountRules.voidGrant(s, seenOther, "v", "g", "x".repeat(300), t0),
            Rejection.INVALID_REQUEST),
        row(
            "void repeating an id with another request",
            s -> AccountRules.voidGrant(s, seenOther, "v", "g", "chargeback", t0),
            Rejection.IDEMPOTENCY_CONFLICT),
        row(
            "void of no grant",
            s -> AccountRules.voidGrant(s, unknown, "v", "nope", null, t0),
            Rejection.NOT_FOUND),
        row(
            "void of a grant that expired (its remainder is gone)",
            s -> AccountRules.voidGrant(s, unknown, "v", "promo", null, t0.plusSeconds(7200)),
            Rejection.NOT_FOUND),
        row(
            "void of a grant voided before",
            s -> {
              Decision first = AccountRules.voidGrant(s, unknown, "v1", "paid", null, t0);
              AccountState after = s;
              for (AccountEvent e : ((Accept) first).events()) {
                after = after.apply(e);
              }
              return AccountRules.voidGrant(after, unknown, "v2", "paid", null, t0);
            },
            Rejection.NOT_FOUND),
        row(
            "void of a grant wholly held",
            s -> {
              Decision held =
                  AccountRules.reserve(
                      s, bounds, unknown, "h", 150, Duration.ofMinutes(5), Map.of(), t0);
              AccountState after = s;
              for (AccountEvent e : ((Accept) held).events()) {
                after = after.apply(e);
              }
              return AccountRules.voidGrant(after, unknown, "v", "promo", null, t0);
            },
            Rejection.GRANT_NOT_ACTIVE));
  }

  /** 100 paid credits (never expiring) and 50 promotional ones expiring in an hour. */
  private static AccountState paidAndPromo() {
    return new Account()
        .credit("paid", 100, paid(), t0.minusSeconds(60))
        .credit("promo", 50, promo(t0.plusSeconds(3600)), t0.minusSeconds(60))
        .state;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  void refuses(String when, Function<AccountState, Decision> command, Rejection then) {
    Decision d = command.apply(paidAndPromo());
    assertThat(d).isInstanceOf(Reject.class);
    assertThat(((Reject) d).reason()).isEqualTo(then);
    assertThat(((Reject) d).detail()).isNotBlank();
  }

  // ---- a top-up is a grant ---------------------------------------------------------------------

  @Test
  void aTopUpIsAGrantWhoseIdIsTheTransactionId() {
    Account a = new Account().credit("pack-1", 100, paid(), t0);
    Grant g = a.grant("pack-1");
    assertThat(g.category()).isEqualTo(GrantCategory.PAID);
    assertThat(g.priority()).isEqualTo(50);
    assertThat(g.expiresAt()).isNull();
    assertThat(g.granted()).isEqualTo(100);
    assertThat(g.remaining()).isEqualTo(100);
    assertThat(g.createdAt()).isEqualTo(t0);
    assertThat(((AccountEvent.Credited) a.trail.get(0)).grant()).isEqualTo(GrantTerms.DEFAULT);
  }

  @Test
  void aRepeatedTopUpIsAnsweredAsTheFirstEvenAfterItsGrantExpired() {
    Account a = new Account().credit("bonus", 10, promo(t0.plusSeconds(60)), t0);
    Instant later = t0.plusSeconds(3600);
    Decision again =
        AccountRules.credit(
            a.state,
            a.state.transaction("bonus"),
            "bonus",
            10,
            promo(t0.plusSeconds(60)),
            Map.of(),
            later);
    assertThat(again).isEqualTo(new Accept(List.of(), 10, true));
  }

  @Test
  void aTopUpWithTheDefaultTermsKeepsTheFingerprintOfBeforeGrants() {
    assertThat(Fingerprints.credit(10, GrantTerms.DEFAULT, Map.of()))
        .isEqualTo(Fingerprints.credit(10, Map.of()));
    assertThat(Fingerprints.credit(10, promo(t0), Map.of()))
        .isNotEqualTo(Fingerprints.credit(10, Map.of()));
  }

  @Test
  void aTopUpPastTheLiveGrantsAnAccountMayHaveIsRefused() {
    Account a = new Account();
    for (int i = 0; i < Limits.liveGrantsPerAccountMax; i++) {
      a.credit("g" + i, 1, paid(), t0);
    }
    Decision d = AccountRules.credit(a.state, unknown, "one-more", 1, paid(), Map.of(), t0);
    assertThat(((Reject) d).reason()).isEqualTo(Rejection.TOO_MANY_GRANTS);
    a.debit("spend", 1, t0); // spends the oldest grant whole: room for one more
    a.credit("one-more", 1, paid(), t0);
  }

  // ---- spending order --------------------------------------------------------------------------

  @Test
  void debitsSpendLowestPriorityThenSoonestExpiryThenPromotionalThenOldest() {
    Instant in10d = t0.plus(Duration.ofDays(10));
    Instant in30d = t0.plus(Duration.ofDays(30));
    Account a =
        new Account()
            .credit("paid-old", 10, paid(), t0)
            .credit("paid-new", 10, paid(), t0)
            .credit("promo-never", 10, terms(GrantCategory.PROMOTIONAL, null, 50), t0)
            .credit("promo-30d", 10, promo(in30d), t0)
            .credit("paid-30d", 10, terms(GrantCategory.PAID, in30d, 50), t0)
            .credit("paid-10d", 10, terms(GrantCategory.PAID, in10d, 50), t0)
            .credit("urgent", 10, terms(GrantCategory.PAID, null, 10), t0);
    int from = a.trail.size();
    a.debit("d", 70, t0.plusSeconds(1));
    assertThat(a.trailFrom(from))
        .containsExactly(
            "DEBIT:70"
                + take(
                    "urgent",
                    10,
                    "paid-10d",
                    10,
                    "promo-30d",
                    10,
                    "paid-30d",
                    10,
                    "promo-never",
                    10,
                    "paid-old",
                    10,
                    "paid-new",
                    10));
    assertThat(a.state.grants().size()).isZero();
  }

  @Test
  void aDebitSpanningGrantsNamesWhatItTookFromEach() {
    Account a = new Account().credit("a", 30, paid(), t0).credit("b", 30, paid(), t0);
    a.debit("d", 40, t0);
    assertThat(((AccountEvent.Debited) a.trail.get(2)).grants()).isEqualTo(take("a", 30, "b", 10));
    assertThat(a.state.grants().get("a")).isEmpty(); // spent: it ended and left memory
    assertThat(a.remaining("b")).isEqualTo(20);
  }

  // ---- reservations earmark
  // ----------------------------------------------------------------------

  @Test
  void aCaptureSpendsExactlyWhatItsReservationEarmarked() {
    Account a = new Account().credit("paid", 100, paid(), t0);
    a.reserve("h", 30, Duration.ofMinutes(5), t0);
    assertThat(a.grant("paid").earmarked()).isEqualTo(30);
    assertThat(a.grant("paid").remaining()).isEqualTo(70);
    // a grant spent before "paid" arrives after the hold: the capture still spends "paid"
    a.credit("urgent", 50, terms(GrantCategory.PAID, null, 0), t0.plusSeconds(1));
    int from = a.trail.size();
    a.end("h", HoldEnd.CAPTURED, t0.plusSeconds(2));
    assertThat(a.trailFrom(from)).containsExactly("CAPTURE:30" + take("paid", 30));
    assertThat(a.remaining("urgent")).isEqualTo(50);
    assertThat(a.grant("paid").earmarked()).isZero();
    assertThat(a.state.balance()).isEqualTo(120);
  }

  @Test
  void aReleaseOrExpiryGivesTheEarmarksBack() {
    Account a = new Account().credit("paid", 100, paid(), t0);
    a.reserve("h1", 30, Duration.ofSeconds(10), t0).reserve("h2", 20, Duration.ofMinutes(5), t0);
    a.end("h2", HoldEnd.RELEASED, t0.plusSeconds(1));
    a.wakeUp(t0.plusSeconds(11));
    assertThat(a.grant("paid").remaining()).isEqualTo(100);
    assertThat(a.grant("paid").earmarked()).isZero();
  }

  // ---- expiry ----------------------------------------------------------------------------------

  @Test
  void aGrantsRemainderExpiresAtItsExpiry() {
    Instant expiry = t0.plusSeconds(60);
    Account a =
        new Account().credit("paid", 100, paid(), t0).credit("promo", 50, promo(expiry), t0);
    a.debit("d", 20, t0.plusSeconds(1)); // the promotional credits go first
    AccountRules.Expiries due = AccountRules.expiries(a.state, t0.plusSeconds(30));
    assertThat(due.events()).isEmpty();
    assertThat(due.next()).contains(expiry);
    int from = a.trail.size();
    a.wakeUp(expiry);
    assertThat(a.trailFrom(from)).containsExactly("GRANT_EXPIRED:30:promo");
    AccountEvent.Entry e = a.trail.get(from).entry();
    assertThat(e.balanceBefore()).isEqualTo(130);
    assertThat(e.balanceAfter()).isEqualTo(100);
    assertThat(e.transactionId()).isEqualTo("promo");
    assertThat(e.at()).isEqualTo(expiry);
    assertThat(a.remaining("paid")).isEqualTo(100);
  }

  /**
   * Known bug: a ledger that expires "the balance" at the promotional expiry takes paid credits.
   */
  @Test
  void anExpiryNeverClawsBackPaidCredits() {
    Instant expiry = t0.plusSeconds(60);
    Account a =
        new Account().credit("paid", 100, paid(), t0).credit("promo", 50, promo(expiry), t0);
    a.debit("d", 60, t0.plusSeconds(1)); // 50 promotional, then 10 paid
    int from = a.trail.size();
    a.wakeUp(expiry.plusSeconds(1));
    assertThat(a.trailFrom(from)).isEmpty(); // nothing of the promotional grant is left
    assertThat(a.state.balance()).isEqualTo(90);
    assertThat(a.remaining("paid")).isEqualTo(90);
  }

  /** Known bug: credits past their expiry still pay until a sweep records the expiry. */
  @Test
  void expiredCreditsNeverPayEvenBeforeTheirExpiryIsRecorded() {
    Instant expiry = t0.plusSeconds(60);
    Account a = new Account().credit("paid", 10, paid(), t0).credit("promo", 50, promo(expiry), t0);
    Instant late = expiry.plusSeconds(3600); // no wake-up ran
    assertThat(a.state.view("a", late).available()).isEqualTo(10);
    assertThat(a.state.view("a", late).grants().first())
        .extracting(Grant::grantId)
        .containsExactly("paid");
    assertThat(a.state.view("a", late).grants().promotional()).isZero();
    Decision d = AccountRules.debit(a.state, unknown, "d", 20, Map.of(), late);
    assertThat(((Reject) d).reason()).isEqualTo(Rejection.INSUFFICIENT_CREDITS);
    Decision r = AccountRules.reserve(a.state, bounds, unknown, "h", 20, null, Map.of(), late);
    assertThat(((Reject) r).reason()).isEqualTo(Rejection.INSUFFICIENT_CREDITS);
    int from = a.trail.size();
    a.debit("d", 10, late);
    assertThat(a.trailFrom(from))
        .containsExactly("GRANT_EXPIRED:50:promo", "DEBIT:10" + take("paid", 10));
    assertThat(a.trail.get(from).entry().at()).isEqualTo(expiry); // recorded late, dated on time
  }

  @Test
  void anEarmarkStaysCapturableAfterItsGrantExpiredThenItsRestExpires() {
    Instant expiry = t0.plusSeconds(60);
    Account a = new Account().credit("promo", 50, promo(expiry), t0);
    a.reserve("h", 30, Duration.ofMinutes(5), t0);
    int from = a.trail.size();
    a.end("h", HoldEnd.CAPTURED, expiry.plusSeconds(10));
    assertThat(a.trailFrom(from))
        .containsExactly("GRANT_EXPIRED:20:promo", "CAPTURE:30" + take("promo", 30));
    assertThat(a.state.balance()).isZero();
    assertThat(a.state.grants().size()).isZero();
  }

  @Test
  void anEarmarkGivenBackAfterItsGrantExpiredExpiresWhenTheHoldEnds() {
    Instant expiry = t0.plusSeconds(60);
    Account a = new Account().credit("paid", 5, paid(), t0).credit("promo", 50, promo(expiry), t0);
    a.reserve("released", 30, Duration.ofMinutes(5), t0);
    a.reserve("expiring", 20, Duration.ofSeconds(90), t0);
    int from = a.trail.size();
    Instant releasedAt = expiry.plusSeconds(10);
    a.end("released", HoldEnd.RELEASED, releasedAt);
    assertThat(a.trailFrom(from)).containsExactly("RELEASE:30", "GRANT_EXPIRED:30:promo");
    assertThat(a.trail.get(from + 1).entry().at()).isEqualTo(releasedAt);
    from = a.trail.size();
    a.wakeUp(t0.plusSeconds(120));
    assertThat(a.trailFrom(from)).containsExactly("EXPIRE:20", "GRANT_EXPIRED:20:promo");
    assertThat(a.trail.get(from + 1).entry().at()).isEqualTo(t0.plusSeconds(90));
    assertThat(a.state.balance()).isEqualTo(5);
    assertThat(a.state.grants().get("promo")).isEmpty();
  }

  @Test
  void aNeverExpiringPaidGrantIsNeverExpired() {
    Account a = new Account().credit("paid", 100, paid(), t0);
    assertThat(AccountRules.expiries(a.state, t0.plus(Duration.ofDays(5000))).events()).isEmpty();
    assertThat(AccountRules.expiries(a.state, t0).next()).isEmpty();
  }

  @Test
  void theFoldRefusesAnExpiryBeforeItsTimeOrOfAGrantThatNeverExpires() {
    Account a = new Account().credit("paid", 100, paid(), t0);
    Entry e = new Entry("paid", 100, 100, 0, 0, 0, t0.plusSeconds(1), Map.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> a.state.apply(new AccountEvent.GrantExpired(e, "paid")))
        .hasMessageContaining("grant expired before its time");
  }

  // ---- voids -----------------------------------------------------------------------------------

  @Test
  void aVoidTakesTheRemainderOnceAndIsIdempotentByItsTransactionId() {
    Account a = new Account().credit("paid", 100, paid(), t0).credit("pack", 40, paid(), t0);
    a.debit("d", 10, t0);
    int from = a.trail.size();
    a.voidGrant("v1", "pack", t0.plusSeconds(1));
    assertThat(a.trailFrom(from)).containsExactly("GRANT_VOIDED:40:pack");
    assertThat(a.state.balance()).isEqualTo(90);
    // the same void again: its first answer, nothing taken twice
    Decision again =
        AccountRules.voidGrant(
            a.state, a.state.transaction("v1"), "v1", "pack", "chargeback", t0.plusSeconds(2));
    assertThat(again).isEqualTo(new Accept(List.of(), 90, true));
    // Known bug: a second chargeback of the same grant takes it again.
    Decision second =
        AccountRules.voidGrant(a.state, unknown, "v2", "pack", "chargeback", t0.plusSeconds(2));
    assertThat(((Reject) second).reason()).isEqualTo(Rejection.NOT_FOUND);
    assertThat(a.state.balance()).isEqualTo(90);
  }

  @Test
  void aVoidOfAHeldGrantVoidsTheEarmarkWhenItComesBackAndLetsItBeCaptured() {
    Account a = new Account().credit("pack", 100, paid(), t0);
    a.reserve("captured", 30, Duration.ofMinutes(5), t0);
    a.reserve("released", 20, Duration.ofMinutes(5), t0);
    int from = a.trail.size();
    a.voidGrant("v", "pack", t0.plusSeconds(1));
    assertThat(a.trailFrom(from)).containsExactly("GRANT_VOIDED:50:pack");
    assertThat(a.state.view("a", t0.plusSeconds(1)).available()).isZero();
    Decision again =
        AccountRules.voidGrant(a.state, unknown, "v2", "pack", null, t0.plusSeconds(2));
    assertThat(((Reject) again).reason()).isEqualTo(Rejection.GRANT_NOT_ACTIVE);
    from = a.trail.size();
    a.end("captured", HoldEnd.CAPTURED, t0.plusSeconds(3));
    a.end("released", HoldEnd.RELEASED, t0.plusSeconds(4));
    assertThat(a.trailFrom(from))
        .containsExactly("CAPTURE:30" + take("pack", 30), "RELEASE:20", "GRANT_VOIDED:20:pack");
    assertThat(a.trail.get(a.trail.size() - 1).entry().transactionId()).isEqualTo("v");
    assertThat(a.state.balance()).isZero();
    assertThat(a.state.grants().size()).isZero();
  }

  // ---- accounts from before grants
  // ---------------------------------------------------------------

  @Test
  void anAccountFromBeforeGrantsReadsAsOnePaidNeverExpiringGrant() {
    AccountState s = AccountState.empty();
    s = s.apply(new AccountEvent.Credited(new Entry("c1", 100, 0, 100, 0, 0, t0, Map.of()), "f"));
    s = s.apply(new AccountEvent.Credited(new Entry("c2", 50, 100, 150, 0, 0, t0, Map.of()), "f"));
    s = s.apply(new AccountEvent.Debited(new Entry("d1", 30, 150, 120, 0, 0, t0, Map.of()), "f"));
    s =
        s.apply(
            new AccountEvent.Reserved(
                new Entry("h1", 20, 120, 120, 0, 20, t0, Map.of()), "f", t0.plusSeconds(600)));
    assertThat(s.grants().list())
        .containsExactly(
            new Grant(Grant.LEGACY_ID, GrantCategory.PAID, 150, 100, 20, null, 50, null, 0, null));
    // An old snapshot has no grants: it reads the same.
    AccountState snapshot =
        new AccountState(
            s.balance(),
            s.reserved(),
            s.holds(),
            s.transactions(),
            s.forgotten(),
            s.version(),
            null);
    assertThat(snapshot.grants().list().get(0).remaining()).isEqualTo(100);
    assertThat(snapshot.grants().list().get(0).earmarked()).isEqualTo(20);
    // New decisions spend it and name it.
    Decision d = AccountRules.debit(s, unknown, "d2", 10, Map.of(), t0);
    assertThat(((AccountEvent.Debited) ((Accept) d).events().get(0)).grants())
        .isEqualTo(take(Grant.LEGACY_ID, 10));
    Decision c = AccountRules.endHold(s, unknown, "h1", HoldEnd.CAPTURED, t0);
    assertThat(((AccountEvent.Captured) ((Accept) c).events().get(0)).grants())
        .isEqualTo(take(Grant.LEGACY_ID, 20));
  }
}
