package io.leadcredits.refund;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Lists refunds as their journals hold them, for the admin's review. */
public interface RefundDirectory {

  /** A page of refunds in refund id order after {@code after} (null: from the first). */
  record Page(List<RefundView> items, String next) {}

  /** Refunds of {@code status} (null: any), at most {@code limit}, after the id {@code after}. */
  CompletionStage<Page> page(RefundStatus status, String after, int limit);

  /** A claim the tradie paid for: its price, when, and its refund if one was asked for. */
  record ClaimItem(
      String claimId,
      String leadId,
      long creditsUsed,
      java.time.Instant claimedAt,
      RefundView refund) {}

  /** A page of a tradie's claims, oldest first; {@code next} resumes after the last. */
  record ClaimPage(List<ClaimItem> items, Long next) {}

  /** The tradie's claims after the account's version {@code after}, at most {@code limit}. */
  CompletionStage<ClaimPage> claims(String accountId, long after, int limit);
}
