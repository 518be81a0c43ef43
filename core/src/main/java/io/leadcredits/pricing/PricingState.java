package io.leadcredits.pricing;

import io.leadcredits.JsonSerializable;
import io.leadcredits.pricing.PricingEvent.PriceListChanged;
import io.leadcredits.pricing.PricingEvent.TierChanged;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The prices, the fold of their events: the list in force with its version and who set it when, and
 * each tradie's tier. Changes are an admin's, rare, so each copies the tiers whole.
 */
public record PricingState(
    long version,
    PriceList list,
    String changedBy,
    Instant changedAt,
    Map<String, String> tiers,
    long sequenceNr)
    implements JsonSerializable {

  public PricingState {
    tiers = Map.copyOf(tiers);
  }

  public static PricingState empty() {
    return new PricingState(0, null, null, null, Map.of(), 0);
  }

  public PricesInForce inForce() {
    return list == null ? PricesInForce.NONE : new PricesInForce(version, list);
  }

  public String tierOf(String tradieId) {
    return tiers.get(tradieId);
  }

  /** The next state. Throws on an event that could not have come from this state. */
  public PricingState apply(PricingEvent event) {
    long seq = sequenceNr + 1;
    if (event instanceof PriceListChanged c) {
      if (c.version() != version + 1 || c.previousVersion() != version) {
        throw new IllegalStateException("price list versions out of order: " + event);
      }
      return new PricingState(c.version(), c.list(), c.by(), c.at(), tiers, seq);
    }
    TierChanged t = (TierChanged) event;
    Map<String, String> next = new HashMap<>(tiers);
    if (t.tier() == null) {
      next.remove(t.tradieId());
    } else {
      next.put(t.tradieId(), t.tier());
    }
    return new PricingState(version, list, changedBy, changedAt, next, seq);
  }
}
