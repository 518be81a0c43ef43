package io.leadcredits.client.model;

import java.math.BigDecimal;
import java.util.List;

/** What a claim made now would cost this tradie, by which list, and why. */
public record Quote(
    String leadId, String tradieId, long creditCost, Long pricingVersion, List<Step> breakdown) {
  /** One rule of the price and its value: base, region, jobSize, tier, competition, ... */
  public record Step(String rule, BigDecimal value) {}
}
