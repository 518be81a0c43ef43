package io.leadcredits.pricing;

import io.leadcredits.Ids;
import io.leadcredits.Limits;
import io.leadcredits.Rejection;
import io.leadcredits.pricing.PricingEvent.PriceListChanged;
import io.leadcredits.pricing.PricingEvent.TierChanged;
import java.time.Instant;
import java.util.Objects;

/**
 * The rulebook of the prices. Putting the list in force again, or a tradie's tier again, is a
 * repeat: answered as the first, with no new version, so a retried PUT changes nothing.
 */
public final class PricingRules {

  /** What a change decides: an event to persist, a repeat, or a refusal. */
  public sealed interface Decision {}

  public record Change(PricingEvent event) implements Decision {}

  public record Repeat() implements Decision {}

  public record Refuse(Rejection rejection, String detail) implements Decision {}

  private PricingRules() {}

  /** In order: INVALID_REQUEST (the list's problem), repeat of the list in force. */
  public static Decision setList(PricingState state, PriceList list, String by, Instant now) {
    String problem = list.problem();
    if (problem != null) {
      return new Refuse(Rejection.INVALID_REQUEST, problem);
    }
    if (list.equals(state.list())) {
      return new Repeat();
    }
    // From here the change succeeds.
    return new Change(new PriceListChanged(state.version() + 1, state.version(), list, by, now));
  }

  /** In order: INVALID_REQUEST (ids, too many tiers), repeat of the tier the tradie has. */
  public static Decision setTier(
      PricingState state, String tradieId, String tier, String by, Instant now) {
    if (!Ids.isValid(tradieId) || (tier != null && !Ids.isValid(tier))) {
      return new Refuse(Rejection.INVALID_REQUEST, "ids must match [A-Za-z0-9_.-]{1,64}");
    }
    String previous = state.tierOf(tradieId);
    if (Objects.equals(previous, tier)) {
      return new Repeat();
    }
    if (previous == null && state.tiers().size() >= Limits.tieredTradiesMax) {
      return new Refuse(
          Rejection.INVALID_REQUEST, "at most " + Limits.tieredTradiesMax + " tradies have a tier");
    }
    // From here the change succeeds.
    return new Change(new TierChanged(tradieId, tier, previous, by, now));
  }
}
