package io.leadcredits.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Comparator;

/**
 * A live grant: credits from one top-up, spent in the stated order ({@link #SPENDING_ORDER}).
 * {@code remaining} is what is left to spend, {@code earmarked} what open holds took from it; the
 * account's balance is the sum of both over its live grants. A grant is live while either is above
 * zero; an ended grant leaves memory (its story is in the journal). {@code seq} is the account's
 * version when the grant was made, so "oldest" is exact within one instant. {@code voidedBy} is the
 * transaction that voided it: whatever a hold gives back to a voided grant is voided too.
 */
public record Grant(
    String grantId,
    GrantCategory category,
    long granted,
    long remaining,
    long earmarked,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant expiresAt,
    int priority,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant createdAt,
    long seq,
    @JsonInclude(JsonInclude.Include.NON_NULL) String voidedBy) {

  /**
   * The grant that holds what an account had before grants existed (credits stored without terms):
   * paid, never expiring, of the middle priority, the oldest. Its id has a character no transaction
   * id may have, so no top-up can take it.
   */
  public static final String LEGACY_ID = "~legacy";

  /**
   * Lowest priority first, then soonest expiry (never-expiring last), then promotional before paid,
   * then oldest: the order Stripe's credit grants, Orb's credit blocks and Lago's wallets agree on.
   */
  public static final Comparator<Grant> SPENDING_ORDER =
      Comparator.comparingInt(Grant::priority)
          .thenComparing(Grant::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(g -> g.category() == GrantCategory.PROMOTIONAL ? 0 : 1)
          .thenComparingLong(Grant::seq)
          .thenComparing(Grant::grantId);

  static Grant of(String grantId, GrantTerms terms, long amount, Instant at, long seq) {
    return new Grant(
        grantId,
        terms.category(),
        amount,
        amount,
        0,
        terms.expiresAt(),
        terms.priority(),
        at,
        seq,
        null);
  }

  static Grant legacy(long remaining, long earmarked) {
    return new Grant(
        LEGACY_ID,
        GrantCategory.PAID,
        remaining + earmarked,
        remaining,
        earmarked,
        null,
        GrantTerms.DEFAULT.priority(),
        null,
        0,
        null);
  }

  public boolean live() {
    return remaining > 0 || earmarked > 0;
  }

  /** Whether its remainder may no longer be spent at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }

  /** Whether its remainder is due to be taken away at {@code now} (expired or voided). */
  boolean dueAt(Instant now) {
    return remaining > 0 && (voidedBy != null || expiredAt(now));
  }

  Grant withAmounts(long newRemaining, long newEarmarked) {
    return new Grant(
        grantId,
        category,
        granted,
        newRemaining,
        newEarmarked,
        expiresAt,
        priority,
        createdAt,
        seq,
        voidedBy);
  }

  Grant topUp(long amount) {
    return new Grant(
        grantId,
        category,
        Math.addExact(granted, amount),
        Math.addExact(remaining, amount),
        earmarked,
        expiresAt,
        priority,
        createdAt,
        seq,
        voidedBy);
  }

  Grant voided(String transactionId) {
    return new Grant(
        grantId,
        category,
        granted,
        remaining,
        earmarked,
        expiresAt,
        priority,
        createdAt,
        seq,
        transactionId);
  }
}
