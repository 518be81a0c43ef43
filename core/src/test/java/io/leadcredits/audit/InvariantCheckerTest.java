package io.leadcredits.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Ids;
import io.leadcredits.Limits;
import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.AccountEvent.Credited;
import io.leadcredits.account.AccountEvent.Debited;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.account.AccountEvent.GrantExpired;
import io.leadcredits.account.AccountEvent.GrantVoided;
import io.leadcredits.account.GrantAmount;
import io.leadcredits.account.GrantCategory;
import io.leadcredits.account.GrantTerms;
import io.leadcredits.lead.LeadEvent;
import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadEvent.LeadCreated;
import io.leadcredits.lead.LeadEvent.SlotTaken;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker the benchmark relies on catches each kind of planted violation. */
class InvariantCheckerTest {
  private static final Instant at = Instant.parse("2030-01-01T00:00:00Z");
  private static final String lead = "lead-1";
  private static final String ann = "ann";
  private static final String claimId = Ids.claimId(lead, ann);

  @Test
  void acceptsAConsistentClaim() {
    InvariantChecker checker = new InvariantChecker();
    checker.account(ann, List.of(credit(0, 100, "top-up"), claimDebit(100, 10)));
    checker.lead(lead, claimedBy(1, ann));
    assertThat(checker.report().ok()).isTrue();
  }

  @Test
  void catchesAVoidedLeadsClaimRecordedRefundedWithoutACredit() {
    InvariantChecker checker = new InvariantChecker();
    checker.account(ann, List.of(credit(0, 100, "top-up"), claimDebit(100, 10)));
    List<LeadEvent> voided = new java.util.ArrayList<>(claimedBy(1, ann));
    voided.add(new LeadEvent.LeadVoided("fake", "ops", at, 1));
    checker.lead(lead, List.copyOf(voided));
    assertThat(checker.report().ok()).as("voided, its refund still owed").isTrue();
    voided.add(new LeadEvent.VoidRefunded(claimId, at));
    InvariantChecker recorded = new InvariantChecker();
    recorded.account(ann, List.of(credit(0, 100, "top-up"), claimDebit(100, 10)));
    recorded.lead(lead, voided);
    assertViolation(recorded.report(), "recorded refunded, but no refund of it was credited");
  }

  @Test
  void acceptsARefundOfAtMostThePricePaid() {
    InvariantChecker checker = new InvariantChecker();
    checker.account(
        ann,
        List.of(
            grant(0, 100, "top-up", GrantTerms.DEFAULT, at), claimDebit(100, 10), refund(90, 4)));
    checker.lead(lead, claimedBy(1, ann));
    assertThat(checker.report().violations()).isEmpty();
  }

  @Test
  void catchesAClaimRefundedMoreThanItsPrice() {
    InvariantChecker checker = new InvariantChecker();
    checker.account(
        ann,
        List.of(
            grant(0, 100, "top-up", GrantTerms.DEFAULT, at), claimDebit(100, 10), refund(90, 11)));
    checker.lead(lead, claimedBy(1, ann));
    assertViolation(checker.report(), "refunded 11 > paid 10");
  }

  @Test
  void catchesARefundCreditedTwice() {
    InvariantChecker checker = new InvariantChecker();
    checker.account(
        ann,
        List.of(
            grant(0, 100, "top-up", GrantTerms.DEFAULT, at),
            claimDebit(100, 10),
            refund(90, 4),
            refund(94, 4)));
    checker.lead(lead, claimedBy(1, ann));
    assertViolation(checker.report(), "credited 2 times");
  }

  @Test
  void catchesAClaimDebitedTwice() {
    InvariantChecker checker = new InvariantChecker();
    checker.account(
        ann, List.of(credit(0, 100, "top-up"), claimDebit(100, 10), claimDebit(90, 10)));
    checker.lead(lead, claimedBy(1, ann));
    assertViolation(checker.report(), "2 debits");
  }

  @Test
  void catchesABrokenBalanceChain() {
    InvariantChecker checker = new InvariantChecker();
    // The second credit starts from 150, but the first one left 100.
    checker.account(ann, List.of(credit(0, 100, "a"), credit(150, 10, "b")));
    assertViolation(checker.report(), "chain");
  }

  @Test
  void catchesALeadWithMoreThanMaxClaims() {
    InvariantChecker checker = new InvariantChecker();
    List<LeadEvent> events =
        List.of(
            new LeadCreated(10, 1, null, at),
            new SlotTaken(Ids.claimId(lead, "a"), "a", at),
            new ClaimConfirmed(Ids.claimId(lead, "a"), "a", 10, 0, at),
            new SlotTaken(Ids.claimId(lead, "b"), "b", at),
            new ClaimConfirmed(Ids.claimId(lead, "b"), "b", 10, 0, at));
    checker.lead(lead, events);
    assertViolation(checker.report(), "maxClaims");
  }

  @Test
  void catchesAClaimDebitWithoutAClaim() {
    InvariantChecker checker = new InvariantChecker();
    checker.account(ann, List.of(credit(0, 100, "top-up"), claimDebit(100, 10)));
    checker.lead(lead, List.of(new LeadCreated(10, 3, null, at)));
    assertViolation(checker.report(), "belongs to no confirmed or pending claim");
  }

  @Test
  void acceptsGrantsSpentExpiredAndVoided() {
    InvariantChecker checker = new InvariantChecker();
    Instant expiry = at.plusSeconds(60);
    checker.account(
        ann,
        List.of(
            grant(0, 100, "paid", GrantTerms.DEFAULT, at),
            grant(100, 50, "promo", promo(expiry), at),
            new Debited(entry("d", 60, 150, 90, at), "f", List.of(ga("promo", 50), ga("paid", 10))),
            new GrantVoided(entry("v", 90, 90, 0, at), "paid", "chargeback", "fv")));
    assertThat(checker.report().violations()).isEmpty();
  }

  @Test
  void catchesCreditsSpentFromAGrantAfterItsExpiry() {
    InvariantChecker checker = new InvariantChecker();
    Instant expiry = at.plusSeconds(60);
    checker.account(
        ann,
        List.of(
            grant(0, 50, "promo", promo(expiry), at),
            new Debited(
                entry("d", 10, 50, 40, expiry.plusSeconds(1)), "f", List.of(ga("promo", 10)))));
    assertViolation(checker.report(), "spent from a grant after its end");
  }

  @Test
  void catchesAPaidGrantExpiredByAnotherGrantsExpiry() {
    InvariantChecker checker = new InvariantChecker();
    Instant expiry = at.plusSeconds(60);
    checker.account(
        ann,
        List.of(
            grant(0, 100, "paid", GrantTerms.DEFAULT, at),
            grant(100, 50, "promo", promo(expiry), at),
            new GrantExpired(entry("promo", 50, 150, 100, expiry), "promo"),
            new GrantExpired(entry("paid", 100, 100, 0, expiry), "paid")));
    assertViolation(checker.report(), "grant expired before its time");
  }

  @Test
  void catchesAGrantVoidedTwice() {
    InvariantChecker checker = new InvariantChecker();
    checker.account(
        ann,
        List.of(
            grant(0, 100, "paid", GrantTerms.DEFAULT, at),
            new Debited(entry("d", 40, 100, 60, at), "f", List.of(ga("paid", 40))),
            new GrantVoided(entry("v1", 60, 60, 0, at), "paid", null, "f1"),
            new Credited(entry("c", 60, 0, 60, at), "f"),
            new GrantVoided(entry("v2", 60, 60, 0, at), "paid", null, "f2")));
    assertViolation(checker.report(), "no live grant");
  }

  @Test
  void acceptsAGrantIdUsedAgainAfterItsGrantEndedAndCatchesOneStillLive() {
    InvariantChecker reused = new InvariantChecker();
    reused.account(
        ann,
        List.of(
            grant(0, 10, "g", GrantTerms.DEFAULT, at),
            new Debited(entry("d", 10, 10, 0, at), "f", List.of(ga("g", 10))),
            grant(0, 5, "g", GrantTerms.DEFAULT, at.plusSeconds(90_000))));
    assertThat(reused.report().violations()).isEmpty();

    InvariantChecker twice = new InvariantChecker();
    twice.account(
        ann,
        List.of(
            grant(0, 10, "g", GrantTerms.DEFAULT, at),
            grant(10, 5, "g", GrantTerms.DEFAULT, at.plusSeconds(90_000))));
    assertViolation(twice.report(), "grant already live");
  }

  private static Entry entry(String tx, long amount, long before, long after, Instant when) {
    return new Entry(tx, amount, before, after, 0, 0, when, Map.of());
  }

  private static AccountEvent grant(
      long before, long amount, String id, GrantTerms terms, Instant when) {
    return new Credited(entry(id, amount, before, before + amount, when), "fp-" + id, terms);
  }

  private static GrantTerms promo(Instant expiry) {
    return new GrantTerms(GrantCategory.PROMOTIONAL, expiry, 50, null);
  }

  private static GrantAmount ga(String id, long amount) {
    return new GrantAmount(id, amount);
  }

  private static void assertViolation(AuditReport report, String fragment) {
    assertThat(report.ok()).isFalse();
    assertThat(report.violations()).anySatisfy(v -> assertThat(v).contains(fragment));
  }

  private static List<LeadEvent> claimedBy(int maxClaims, String tradie) {
    return List.of(
        new LeadCreated(10, maxClaims, null, at),
        new SlotTaken(claimId, tradie, at),
        new ClaimConfirmed(claimId, tradie, 10, 90, at));
  }

  /**
   * A hot account's trail is millions of events: the audit folds it as it reads it, keeping as many
   * ids in memory as an account does, instead of holding every event and every id of it (which
   * after a 30-minute soak took the service's whole heap and the audit never finished).
   */
  @Test
  void checksAHotAccountsTrailAnEventAtATimeInBoundedMemory() {
    InvariantChecker checker = new InvariantChecker();
    InvariantChecker.AccountTrail trail = new InvariantChecker.AccountTrail(ann);
    int n = 300_000;
    for (int i = 0; i < n; i++) {
      trail.accept(credit(i, 1, "c-" + i));
      if (i % 1000 == 0) {
        assertThat(trail.idsInMemory()).isLessThanOrEqualTo(Limits.transactionsInMemoryDefault);
      }
    }
    assertThat(trail.events()).isEqualTo(n);
    checker.add(trail);
    assertThat(checker.report().ok()).isTrue();

    InvariantChecker broken = new InvariantChecker();
    InvariantChecker.AccountTrail gap = new InvariantChecker.AccountTrail(ann);
    gap.accept(credit(0, 100, "a"));
    gap.accept(credit(150, 10, "b"));
    broken.add(gap);
    assertViolation(broken.report(), "chain");
  }

  private static AccountEvent credit(long before, long amount, String tx) {
    return new Credited(
        new Entry(tx, amount, before, before + amount, 0, 0, at, Map.of()), "fp-" + tx);
  }

  /** The claim's refund, credited back to the grant its debit spent. */
  private static AccountEvent refund(long before, long amount) {
    String refundId = "rfd_" + claimId.substring(Ids.CLAIM_PREFIX.length());
    return new AccountEvent.Refunded(
        new Entry(
            refundId,
            amount,
            before,
            before + amount,
            0,
            0,
            at,
            Map.of("claimId", claimId, "leadId", lead, "refundId", refundId)),
        "fp-" + refundId,
        List.of(new io.leadcredits.account.RefundPart("top-up", amount, null)));
  }

  private static AccountEvent claimDebit(long before, long amount) {
    return new Debited(
        new Entry(claimId, amount, before, before - amount, 0, 0, at, Map.of("leadId", lead)),
        "fp-claim");
  }
}
