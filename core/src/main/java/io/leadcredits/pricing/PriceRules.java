package io.leadcredits.pricing;

import io.leadcredits.Limits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The price of a lead for a tradie:
 *
 * <pre>max(minimum, round(base × region × jobSize × tier × max(floor, 1 + perClaim × claimsTaken)))
 * </pre>
 *
 * <p>where base is the lead's own cost when it has one, else its category's base or the default,
 * and a missing multiplier is 1. The product is exact ({@link BigDecimal}), rounded once at the end
 * with the list's rounding. A claim costs at least one credit whatever the list says: the ledger
 * has no zero debit. Without a list in force a lead with its own cost costs exactly that (the fixed
 * price leads had before price lists).
 */
public final class PriceRules {

  /** The outcome: a price, or why there is none (the lead cannot be priced now). */
  public sealed interface Outcome {}

  public record Priced(Price price) implements Outcome {}

  public record Unpriced(String detail) implements Outcome {}

  private PriceRules() {}

  public static Outcome price(PricesInForce prices, PriceInputs in) {
    PriceList list = prices.list();
    List<Price.Step> steps = new ArrayList<>();
    if (list == null) {
      if (in.leadCost() < 1) {
        return new Unpriced("no price list is in force and the lead has no creditCost");
      }
      steps.add(step("base", BigDecimal.valueOf(in.leadCost())));
      return new Priced(new Price(in.leadCost(), 0, steps));
    }
    long base = in.leadCost();
    if (base < 1) {
      Long byCategory = in.category() == null ? null : list.base().categories().get(in.category());
      base = byCategory != null ? byCategory : list.base().defaultCost();
    }
    BigDecimal exact = BigDecimal.valueOf(base);
    steps.add(step("base", exact));
    BigDecimal region = factor(list.regions().get(in.region() == null ? "" : in.region()));
    BigDecimal size = factor(in.jobSize() == null ? null : list.jobSizes().get(in.jobSize()));
    BigDecimal tier = factor(list.tiers().get(in.tier() == null ? "" : in.tier()));
    BigDecimal competition =
        BigDecimal.ONE
            .add(list.competition().perClaim().multiply(BigDecimal.valueOf(in.claimsTaken())))
            .max(list.competition().floor());
    steps.add(step("region", region));
    steps.add(step("jobSize", size));
    steps.add(step("tier", tier));
    steps.add(step("competition", competition));
    exact = exact.multiply(region).multiply(size).multiply(tier).multiply(competition);
    BigDecimal rounded = exact.setScale(0, list.rounding());
    steps.add(step("rounded", rounded));
    BigDecimal minimum = BigDecimal.valueOf(Math.max(1, list.minimum()));
    if (rounded.compareTo(minimum) < 0) {
      rounded = minimum;
      steps.add(step("minimum", minimum));
    }
    if (rounded.compareTo(BigDecimal.valueOf(Limits.amountCreditsMax)) > 0) {
      return new Unpriced(
          "the price "
              + rounded
              + " is above the most a claim may cost, "
              + Limits.amountCreditsMax);
    }
    return new Priced(new Price(rounded.longValueExact(), prices.version(), steps));
  }

  private static BigDecimal factor(BigDecimal multiplier) {
    return multiplier == null ? BigDecimal.ONE : multiplier;
  }

  private static Price.Step step(String rule, BigDecimal value) {
    return new Price.Step(rule, PriceList.canonical(value));
  }
}
