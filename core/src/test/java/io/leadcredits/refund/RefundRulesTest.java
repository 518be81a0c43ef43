package io.leadcredits.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcredits.Rejection;
import io.leadcredits.account.GrantTerms;
import io.leadcredits.account.SpentGrant;
import io.leadcredits.refund.RefundRules.Accept;
import io.leadcredits.refund.RefundRules.Decision;
import io.leadcredits.refund.RefundRules.Reject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The refund's rulebook, a table per operation in ladder order: one refund per claim within the
 * window, decided once, never more than the price paid, credited once; a voided lead refunds in
 * full whatever was decided before, except an approval.
 */
class RefundRulesTest {
  private static final Instant t0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final Duration window = Duration.ofDays(7);
  private static final RefundClaim claim =
      new RefundClaim(
          "clm_a",
          "lead-a",
          "ann",
          10,
          t0,
          List.of(new SpentGrant("pack", 10, GrantTerms.DEFAULT)));

  private static RefundState fold(RefundState s, Decision d) {
    assertThat(d).isInstanceOf(Accept.class);
    for (RefundEvent e : ((Accept) d).events()) {
      s = s.apply(e);
    }
    return s;
  }

  private static Rejection reason(Decision d) {
    assertThat(d).isInstanceOf(Reject.class);
    return ((Reject) d).reason();
  }

  private static RefundState requested() {
    return fold(
        RefundState.empty(),
        RefundRules.request(RefundState.empty(), claim, RefundReason.FAKE, "n", false, window, t0));
  }

  @Test
  void aRequest() {
    assertThat(
            reason(
                RefundRules.request(
                    RefundState.empty(),
                    claim,
                    RefundReason.FAKE,
                    null,
                    false,
                    window,
                    t0.plus(window).plusMillis(1))))
        .isEqualTo(Rejection.REFUND_WINDOW_CLOSED);
    RefundState s = requested();
    assertThat(s.status()).isEqualTo(RefundStatus.PENDING);
    assertThat(s.amount()).isEqualTo(10);
    Decision same = RefundRules.request(s, claim, RefundReason.FAKE, "n", false, window, t0);
    assertThat(((Accept) same).replayed()).isTrue();
    assertThat(reason(RefundRules.request(s, claim, RefundReason.OTHER, "n", false, window, t0)))
        .isEqualTo(Rejection.REFUND_EXISTS);
  }

  @Test
  void anApproval() {
    assertThat(reason(RefundRules.approve(RefundState.empty(), null, null, "ops", t0)))
        .isEqualTo(Rejection.NOT_FOUND);
    RefundState s = requested();
    assertThat(reason(RefundRules.approve(s, 11L, null, "ops", t0)))
        .isEqualTo(Rejection.INVALID_REQUEST);
    assertThat(reason(RefundRules.approve(s, 0L, null, "ops", t0)))
        .isEqualTo(Rejection.INVALID_REQUEST);
    RefundState approved = fold(s, RefundRules.approve(s, 4L, null, "ops", t0));
    assertThat(approved.amount()).isEqualTo(4);
    assertThat(approved.creditOwed()).isTrue();
    assertThat(((Accept) RefundRules.approve(approved, 4L, "again", "ops", t0)).replayed())
        .isTrue();
    assertThat(reason(RefundRules.approve(approved, null, null, "ops", t0)))
        .isEqualTo(Rejection.REFUND_DECIDED);
    assertThat(reason(RefundRules.reject(approved, null, "ops", t0)))
        .isEqualTo(Rejection.REFUND_DECIDED);
    RefundState credited = approved.apply(RefundRules.credited(approved, 94, t0).get(0));
    assertThat(RefundRules.credited(credited, 94, t0)).isEmpty();
    assertThatThrownBy(() -> credited.apply(new RefundEvent.RefundCredited(94, t0)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.apply(new RefundEvent.RefundApproved(11, null, "ops", t0, false)))
        .as("Σ refunded ≤ the price paid, held by the fold")
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRejection() {
    RefundState s = requested();
    RefundState rejected = fold(s, RefundRules.reject(s, "no", "ops", t0));
    assertThat(rejected.status()).isEqualTo(RefundStatus.REJECTED);
    assertThat(((Accept) RefundRules.reject(rejected, null, "ops", t0)).replayed()).isTrue();
    assertThat(reason(RefundRules.approve(rejected, null, null, "ops", t0)))
        .isEqualTo(Rejection.REFUND_DECIDED);
    assertThat(RefundRules.credited(rejected, 100, t0)).isEmpty();
  }

  @Test
  void aVoidedLeadRefundsInFullOnce() {
    RefundState fresh =
        fold(RefundState.empty(), RefundRules.leadVoided(RefundState.empty(), claim, "ops", t0));
    assertThat(fresh.reason()).isEqualTo(RefundReason.LEAD_VOIDED);
    assertThat(fresh.amount()).isEqualTo(10);
    assertThat(fresh.creditOwed()).isTrue();
    RefundState s = requested();
    RefundState rejected = fold(s, RefundRules.reject(s, "no", "ops", t0));
    RefundState overruled = fold(rejected, RefundRules.leadVoided(rejected, claim, "ops", t0));
    assertThat(overruled.status()).isEqualTo(RefundStatus.APPROVED);
    assertThat(overruled.amount()).isEqualTo(10);
    RefundState partly = fold(s, RefundRules.approve(s, 3L, null, "ops", t0));
    assertThat(RefundRules.leadVoided(partly, claim, "ops", t0).events()).isEmpty();
  }
}
