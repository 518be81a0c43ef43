package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Rejection;
import io.leadcredits.account.AccountRules.Accept;
import io.leadcredits.account.AccountRules.Decision;
import io.leadcredits.account.AccountRules.Reject;
import io.leadcredits.account.AccountState.TxRecord;
import io.leadcredits.audit.InvariantChecker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The account's refund rule: a refund goes back to the grants the claim's debit spent, the last
 * taken first; onto a live grant, or bringing back a grant wholly spent since with its own terms;
 * what came from a grant that expired or was voided since comes back as a promotional grant of the
 * refund's own, expiring after the refund credit's lifetime. First the rejections in ladder order.
 */
class RefundCreditRulesTest {
  private static final Instant t0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final Duration ttl = Duration.ofDays(180);
  private static final Optional<TxRecord> unknown = Optional.empty();
  private static final Map<String, String> meta = Map.of("claimId", "clm_a", "refundId", "rfd_a");

  private AccountState state = AccountState.empty();
  private final List<AccountEvent> trail = new ArrayList<>();

  private void accept(Decision d) {
    assertThat(d).as("decision").isInstanceOf(Accept.class);
    for (AccountEvent e : ((Accept) d).events()) {
      state = state.apply(e);
      trail.add(e);
    }
  }

  private static GrantTerms promo(Instant expiresAt) {
    return new GrantTerms(GrantCategory.PROMOTIONAL, expiresAt, 50, null);
  }

  private Decision refund(String id, long amount, List<SpentGrant> spent, Instant at) {
    return AccountRules.refund(state, state.transaction(id), id, amount, spent, ttl, meta, at);
  }

  private AccountEvent.Refunded lastRefund() {
    return (AccountEvent.Refunded)
        trail.stream().filter(e -> e instanceof AccountEvent.Refunded).reduce((a, b) -> b).get();
  }

  @Test
  void refusalsInLadderOrderChangeNothing() {
    accept(AccountRules.credit(state, unknown, "pack", 100, GrantTerms.DEFAULT, Map.of(), t0));
    accept(AccountRules.debit(state, unknown, "debit-a", 10, Map.of(), t0));
    List<SpentGrant> spent = List.of(new SpentGrant("pack", 10, GrantTerms.DEFAULT));
    record Row(long amount, Duration ttl, Rejection expected) {}
    List<Row> rows =
        List.of(
            new Row(0, ttl, Rejection.INVALID_REQUEST), // amount < 1
            new Row(11, ttl, Rejection.INVALID_REQUEST), // more than the debit spent
            new Row(5, Duration.ZERO, Rejection.INVALID_REQUEST), // the credit's lifetime
            new Row(5, Duration.ofDays(4000), Rejection.INVALID_REQUEST));
    for (Row row : rows) {
      Decision d =
          AccountRules.refund(state, unknown, "rfd_a", row.amount(), spent, row.ttl(), meta, t0);
      assertThat(d).as(row.toString()).isInstanceOf(Reject.class);
      assertThat(((Reject) d).reason()).as(row.toString()).isEqualTo(row.expected());
    }
    accept(refund("rfd_a", 10, spent, t0));
    // The same refund again is its repeat; another amount under its id is a conflict.
    Decision again = refund("rfd_a", 10, spent, t0.plusSeconds(1));
    assertThat(again).isInstanceOf(Accept.class);
    assertThat(((Accept) again).replayed()).isTrue();
    assertThat(((Accept) again).events()).isEmpty();
    Decision other = refund("rfd_a", 5, spent, t0.plusSeconds(1));
    assertThat(((Reject) other).reason()).isEqualTo(Rejection.IDEMPOTENCY_CONFLICT);
    assertThat(state.balance()).isEqualTo(100);
  }

  @Test
  void goesBackToLiveGrantsTheLastTakenFirst() {
    accept(
        AccountRules.credit(state, unknown, "bonus", 6, promo(t0.plusSeconds(3600)), Map.of(), t0));
    accept(AccountRules.credit(state, unknown, "pack", 100, GrantTerms.DEFAULT, Map.of(), t0));
    accept(AccountRules.debit(state, unknown, "debit-a", 10, Map.of(), t0));
    List<SpentGrant> spent =
        List.of(
            new SpentGrant("bonus", 6, promo(t0.plusSeconds(3600))),
            new SpentGrant("pack", 4, GrantTerms.DEFAULT));
    accept(refund("rfd_a", 7, spent, t0.plusSeconds(60)));
    assertThat(lastRefund().grants())
        .containsExactly(
            new RefundPart("pack", 4, null),
            new RefundPart("bonus", 3, promo(t0.plusSeconds(3600))));
    assertThat(state.grants().get("pack").orElseThrow().remaining()).isEqualTo(100);
    Grant bonus = state.grants().get("bonus").orElseThrow();
    assertThat(bonus.remaining()).isEqualTo(3);
    assertThat(bonus.expiresAt()).isEqualTo(t0.plusSeconds(3600));
    assertThat(state.balance()).isEqualTo(103);
  }

  @Test
  void lapsedCreditComesBackAsAPromotionalGrantOfTheRefundsOwn() {
    accept(
        AccountRules.credit(state, unknown, "bonus", 6, promo(t0.plusSeconds(60)), Map.of(), t0));
    accept(AccountRules.credit(state, unknown, "pack", 4, GrantTerms.DEFAULT, Map.of(), t0));
    accept(AccountRules.credit(state, unknown, "other", 50, GrantTerms.DEFAULT, Map.of(), t0));
    accept(
        AccountRules.debit(
            state,
            unknown,
            "clm_a",
            10,
            Map.of("leadId", "lead-a", "claimId", "clm_a", "reason", "lead claim"),
            t0));
    assertThat(state.grants().get("bonus")).isEmpty();
    assertThat(state.grants().get("pack")).isEmpty();
    List<SpentGrant> spent =
        List.of(
            new SpentGrant("bonus", 6, promo(t0.plusSeconds(60))),
            new SpentGrant("pack", 4, GrantTerms.DEFAULT));
    Instant later = t0.plusSeconds(3600); // the bonus expired meanwhile
    accept(refund("rfd_a", 10, spent, later));
    assertThat(lastRefund().grants())
        .containsExactly(
            new RefundPart("pack", 4, GrantTerms.DEFAULT),
            new RefundPart("rfd_a", 6, promo(later.plus(ttl))));
    assertThat(state.grants().get("pack").orElseThrow().remaining()).isEqualTo(4);
    Grant own = state.grants().get("rfd_a").orElseThrow();
    assertThat(own.category()).isEqualTo(GrantCategory.PROMOTIONAL);
    assertThat(own.expiresAt()).isEqualTo(later.plus(ttl));
    assertThat(state.balance()).isEqualTo(60);
    // Grants, balances and Σ refunded ≤ paid hold; the lead's journal is not in this test.
    assertThat(audit().violations())
        .allMatch(v -> v.contains("belongs to no confirmed or pending claim"));
  }

  /** The audit holds Σ refunded per claim to the price its debit paid. */
  @Test
  void theAuditCatchesARefundAboveThePricePaid() {
    Map<String, String> claim =
        Map.of("leadId", "lead-a", "claimId", "clm_a", "reason", "lead claim");
    accept(AccountRules.credit(state, unknown, "pack", 100, GrantTerms.DEFAULT, Map.of(), t0));
    accept(AccountRules.debit(state, unknown, "clm_a", 10, claim, t0));
    // The rule is told the debit spent 20: a caller's bug the audit must see.
    accept(
        AccountRules.refund(
            state,
            unknown,
            "rfd_a",
            20,
            List.of(new SpentGrant("pack", 20, GrantTerms.DEFAULT)),
            ttl,
            meta,
            t0));
    assertThat(audit().violations()).anyMatch(v -> v.contains("refunded 20 > paid 10"));
  }

  private io.leadcredits.audit.AuditReport audit() {
    InvariantChecker checker = new InvariantChecker();
    InvariantChecker.AccountTrail t = new InvariantChecker.AccountTrail("a");
    trail.forEach(t::accept);
    checker.add(t);
    return checker.report();
  }
}
