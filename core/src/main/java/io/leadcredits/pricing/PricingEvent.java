package io.leadcredits.pricing;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.leadcredits.JsonSerializable;
import java.time.Instant;

/** Everything that happened to the prices: the history of the list and of the tradies' tiers. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PricingEvent.PriceListChanged.class, name = "price-list-changed"),
  @JsonSubTypes.Type(value = PricingEvent.TierChanged.class, name = "tier-changed")
})
public sealed interface PricingEvent extends JsonSerializable {

  Instant at();

  /** {@code by} put list {@code version} in force in place of {@code previousVersion} (0: none). */
  record PriceListChanged(long version, long previousVersion, PriceList list, String by, Instant at)
      implements PricingEvent {}

  /** {@code by} set the tradie's tier ({@code tier} null: none). */
  record TierChanged(String tradieId, String tier, String previousTier, String by, Instant at)
      implements PricingEvent {}
}
