package io.leadcredits.lead;

import io.leadcredits.lead.LeadState.Confirmed;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How a voided lead has a confirmed claim refunded in full: the claim's refund entity is told the
 * lead was voided (idempotent by the refund id, which follows from the claim id). Completes true
 * once the credit is on the tradie's account; false (or failed) when that is not known yet, and the
 * lead asks again later.
 */
@FunctionalInterface
public interface VoidRefunds {

  CompletionStage<Boolean> refund(String leadId, Confirmed claim, String by);

  /** No refunds: every refund stays owed (entity tests that do not void). */
  VoidRefunds NONE = (leadId, claim, by) -> CompletableFuture.completedFuture(false);
}
