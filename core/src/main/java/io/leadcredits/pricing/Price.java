package io.leadcredits.pricing;

import java.math.BigDecimal;
import java.util.List;

/**
 * A price and why: {@code creditCost} whole credits, by the list of {@code pricingVersion} (0: the
 * lead's own cost, no list), with each rule that made it, in the order applied.
 */
public record Price(long creditCost, long pricingVersion, List<Step> breakdown) {

  public Price {
    breakdown = List.copyOf(breakdown);
  }

  /** One rule of the formula and the value it contributed (a base, a factor, a bound). */
  public record Step(String rule, BigDecimal value) {}
}
