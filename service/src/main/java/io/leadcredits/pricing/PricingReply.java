package io.leadcredits.pricing;

import io.leadcredits.JsonSerializable;
import io.leadcredits.Rejection;
import java.time.Instant;

/** The answer to a pricing command. */
public sealed interface PricingReply extends JsonSerializable {

  /** The list in force, its version, and who put it in force when; {@code replayed} on a repeat. */
  record PriceListAnswer(
      long version, PriceList list, Instant changedAt, String changedBy, boolean replayed)
      implements PricingReply {}

  /** The tradie's tier (null: none); {@code replayed} when it was already that. */
  record TierAnswer(String tradieId, String tier, boolean replayed) implements PricingReply {}

  record Rejected(Rejection reason, String detail) implements PricingReply {}
}
