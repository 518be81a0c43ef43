package io.leadcredits.pricing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.leadcredits.Ids;
import io.leadcredits.Limits;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The rules that price a lead for a tradie (see {@link PriceRules}): a base by category (or the
 * lead's own cost), multipliers by region, job size and tradie tier, a factor for the competition
 * already on the lead, a minimum and a rounding. Multipliers are exact decimals, never floating
 * point. Every part but {@code base.default} is optional: a missing multiplier is 1.
 *
 * <p>Maps are sorted, so two lists with the same content are equal and render the same.
 */
public record PriceList(
    Base base,
    SortedMap<String, BigDecimal> regions,
    Map<JobSize, BigDecimal> jobSizes,
    SortedMap<String, BigDecimal> tiers,
    Competition competition,
    long minimum,
    RoundingMode rounding) {

  /** The base price: {@code categories} by the lead's category, else {@code defaultCost}. */
  public record Base(
      @JsonProperty("default") long defaultCost, SortedMap<String, Long> categories) {
    @JsonCreator
    public Base {
      categories =
          Collections.unmodifiableSortedMap(
              categories == null ? new TreeMap<>() : new TreeMap<>(categories));
    }
  }

  /**
   * The competition factor {@code max(floor, 1 + perClaim × claimsTaken)}: a negative {@code
   * perClaim} makes a lead cheaper as more tradies have taken it, down to {@code floor}.
   */
  public record Competition(BigDecimal perClaim, BigDecimal floor) {
    public static final Competition NONE = new Competition(BigDecimal.ZERO, BigDecimal.ZERO);

    @JsonCreator
    public Competition {
      perClaim = perClaim == null ? BigDecimal.ZERO : canonical(perClaim);
      floor = floor == null ? BigDecimal.ZERO : canonical(floor);
    }
  }

  /** A multiplier is at most this: a thousandfold lead is a mistake, not a price. */
  public static final BigDecimal multiplierMax = BigDecimal.valueOf(1_000);

  /** Decimal places a multiplier may have, at most; keeps the exact arithmetic small. */
  public static final int multiplierScaleMax = 6;

  /** Entries in each of categories, regions and tiers, at most: the list is one small document. */
  public static final int entriesMax = Limits.priceListEntriesMax;

  @JsonCreator
  public PriceList {
    regions = decimals(regions);
    tiers = decimals(tiers);
    Map<JobSize, BigDecimal> sizes = new EnumMap<>(JobSize.class);
    if (jobSizes != null) {
      jobSizes.forEach((k, v) -> sizes.put(k, canonical(v)));
    }
    jobSizes = Collections.unmodifiableMap(sizes);
    competition = competition == null ? Competition.NONE : competition;
    rounding = rounding == null ? RoundingMode.HALF_UP : rounding;
  }

  /**
   * What is wrong with this list, or null when it may be put in force. The HTTP layer refuses a
   * list with a problem; a stored list always passed this check.
   */
  public String problem() {
    if (base == null) {
      return "base.default is required";
    }
    if (base.defaultCost() < 1 || base.defaultCost() > Limits.amountCreditsMax) {
      return "base.default must be between 1 and " + Limits.amountCreditsMax;
    }
    String p = keys("base.categories", base.categories());
    if (p != null) {
      return p;
    }
    for (Map.Entry<String, Long> e : base.categories().entrySet()) {
      if (e.getValue() == null || e.getValue() < 1 || e.getValue() > Limits.amountCreditsMax) {
        return "base.categories."
            + e.getKey()
            + " must be between 1 and "
            + Limits.amountCreditsMax;
      }
    }
    p = multipliers("regions", regions);
    if (p == null) {
      p = multipliers("tiers", tiers);
    }
    if (p == null) {
      p = multipliers("jobSizes", jobSizes);
    }
    if (p != null) {
      return p;
    }
    BigDecimal perClaim = competition.perClaim();
    if (perClaim.compareTo(BigDecimal.ONE.negate()) < 0
        || perClaim.compareTo(multiplierMax) > 0
        || perClaim.scale() > multiplierScaleMax) {
      return "competition.perClaim must be between -1 and "
          + multiplierMax
          + " with at most "
          + multiplierScaleMax
          + " decimals";
    }
    BigDecimal floor = competition.floor();
    if (floor.signum() < 0
        || floor.compareTo(multiplierMax) > 0
        || floor.scale() > multiplierScaleMax) {
      return "competition.floor must be between 0 and "
          + multiplierMax
          + " with at most "
          + multiplierScaleMax
          + " decimals";
    }
    if (minimum < 0 || minimum > Limits.amountCreditsMax) {
      return "minimum must be between 0 and " + Limits.amountCreditsMax;
    }
    if (rounding == RoundingMode.UNNECESSARY) {
      return "rounding must be one of HALF_UP, HALF_EVEN, HALF_DOWN, UP, DOWN, CEILING, FLOOR";
    }
    return null;
  }

  /** The list as its JSON document, in the order the API shows it. */
  public Map<String, Object> document() {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("default", base.defaultCost());
    b.put("categories", base.categories());
    doc.put("base", b);
    doc.put("regions", regions);
    Map<String, BigDecimal> sizes = new LinkedHashMap<>();
    jobSizes.forEach((k, v) -> sizes.put(k.name(), v));
    doc.put("jobSizes", sizes);
    doc.put("tiers", tiers);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("perClaim", competition.perClaim());
    c.put("floor", competition.floor());
    doc.put("competition", c);
    doc.put("minimum", minimum);
    doc.put("rounding", rounding.name());
    return doc;
  }

  /**
   * The decimal in one spelling (no trailing zeros, no exponent), so lists compare and render the
   * same whichever way a client wrote 1.50 or 15E-1.
   */
  public static BigDecimal canonical(BigDecimal value) {
    if (value == null) {
      return null;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  private static SortedMap<String, BigDecimal> decimals(Map<String, BigDecimal> map) {
    TreeMap<String, BigDecimal> copy = new TreeMap<>();
    if (map != null) {
      map.forEach((k, v) -> copy.put(k, canonical(v)));
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  private static String keys(String what, Map<String, ?> map) {
    if (map.size() > entriesMax) {
      return what + " may have at most " + entriesMax + " entries";
    }
    for (String key : map.keySet()) {
      if (!Ids.isValid(key)) {
        return what + " keys must match [A-Za-z0-9_.-]{1,64}";
      }
    }
    return null;
  }

  private static String multipliers(String what, Map<?, BigDecimal> map) {
    if (map.size() > entriesMax) {
      return what + " may have at most " + entriesMax + " entries";
    }
    for (Map.Entry<?, BigDecimal> e : map.entrySet()) {
      if (e.getKey() instanceof String key && !Ids.isValid(key)) {
        return what + " keys must match [A-Za-z0-9_.-]{1,64}";
      }
      BigDecimal m = e.getValue();
      if (m == null
          || m.signum() <= 0
          || m.compareTo(multiplierMax) > 0
          || m.scale() > multiplierScaleMax) {
        return what
            + "."
            + e.getKey()
            + " must be above 0 and at most "
            + multiplierMax
            + " with at most "
            + multiplierScaleMax
            + " decimals";
      }
    }
    return null;
  }
}
