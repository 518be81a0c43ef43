package io.leadcredits.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Limits;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The price formula as tables: given a list and the inputs, the price; and which lists may be put
 * in force. Every row can fail: each changes one thing from the worked example.
 */
class PriceRulesTest {

  /** The list of the worked example (README, docs/design.md). */
  static PriceList example(RoundingMode rounding, long minimum) {
    return new PriceList(
        new PriceList.Base(10, new TreeMap<>(Map.of("plumbing", 20L))),
        new TreeMap<>(Map.of("NSW-2000", new BigDecimal("1.5"))),
        Map.of(
            JobSize.SMALL, new BigDecimal("0.5"),
            JobSize.MEDIUM, new BigDecimal("1.0"),
            JobSize.LARGE, new BigDecimal("2.0")),
        new TreeMap<>(Map.of("gold", new BigDecimal("0.8"))),
        new PriceList.Competition(new BigDecimal("-0.1"), new BigDecimal("0.5")),
        minimum,
        rounding);
  }

  static final PricesInForce V3 = new PricesInForce(3, example(RoundingMode.HALF_UP, 1));

  record Row(String name, PricesInForce prices, PriceInputs in, long price) {
    @Override
    public String toString() {
      return name;
    }
  }

  static PriceInputs in(
      long leadCost, String category, String region, JobSize size, String tier, int taken) {
    return new PriceInputs(leadCost, category, region, size, tier, taken);
  }

  static Stream<Row> prices() {
    return Stream.of(
        // 20 × 1.5 × 2 × 0.8 × max(0.5, 1 − 0.1 × 2) = 38.4 → 38
        new Row("worked example", V3, in(0, "plumbing", "NSW-2000", JobSize.LARGE, "gold", 2), 38),
        new Row(
            "the first claim: no competition",
            V3,
            in(0, "plumbing", "NSW-2000", JobSize.LARGE, "gold", 0),
            48),
        new Row(
            "competition stops at the floor",
            V3,
            in(0, "plumbing", "NSW-2000", JobSize.LARGE, "gold", 9),
            24),
        new Row("no tier: 1", V3, in(0, "plumbing", "NSW-2000", JobSize.LARGE, null, 0), 60),
        new Row(
            "a tier the list does not name: 1",
            V3,
            in(0, "plumbing", "NSW-2000", JobSize.LARGE, "silver", 0),
            60),
        new Row(
            "a region the list does not name: 1",
            V3,
            in(0, "plumbing", "VIC-3000", JobSize.LARGE, null, 0),
            40),
        new Row("no job size: 1", V3, in(0, "plumbing", null, null, null, 0), 20),
        new Row(
            "a category the list does not name: the default",
            V3,
            in(0, "roofing", null, null, null, 0),
            10),
        new Row(
            "the lead's own cost is the base",
            V3,
            in(7, "plumbing", "NSW-2000", null, null, 0),
            11),
        // 5 × 0.5 = 2.5: each rounding mode
        new Row("HALF_UP", V3, in(5, null, null, JobSize.SMALL, null, 0), 3),
        new Row(
            "HALF_EVEN",
            new PricesInForce(1, example(RoundingMode.HALF_EVEN, 1)),
            in(5, null, null, JobSize.SMALL, null, 0),
            2),
        new Row(
            "DOWN",
            new PricesInForce(1, example(RoundingMode.DOWN, 1)),
            in(5, null, null, JobSize.SMALL, null, 0),
            2),
        new Row(
            "UP",
            new PricesInForce(1, example(RoundingMode.UP, 1)),
            in(5, null, null, JobSize.SMALL, null, 0),
            3),
        new Row(
            "the minimum",
            new PricesInForce(1, example(RoundingMode.HALF_UP, 8)),
            in(0, null, null, JobSize.SMALL, null, 0),
            8),
        new Row(
            "never less than one credit",
            new PricesInForce(1, example(RoundingMode.DOWN, 0)),
            in(1, null, null, JobSize.SMALL, "gold", 9),
            1),
        new Row(
            "exact decimals: 0.1 × 3 is 0.3, not 0.30000000000000004",
            new PricesInForce(1, perClaimList("0.1")),
            in(10, null, null, null, null, 3),
            13),
        new Row(
            "no list: the lead's own cost, exactly",
            PricesInForce.NONE,
            in(12, "plumbing", "NSW-2000", JobSize.LARGE, "gold", 5),
            12));
  }

  private static PriceList perClaimList(String perClaim) {
    return new PriceList(
        new PriceList.Base(10, null),
        null,
        null,
        null,
        new PriceList.Competition(new BigDecimal(perClaim), null),
        1,
        RoundingMode.DOWN);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("prices")
  void pricesEachRow(Row row) {
    PriceRules.Outcome outcome = PriceRules.price(row.prices(), row.in());
    assertThat(outcome).isInstanceOf(PriceRules.Priced.class);
    Price price = ((PriceRules.Priced) outcome).price();
    assertThat(price.creditCost()).isEqualTo(row.price());
    assertThat(price.pricingVersion()).isEqualTo(row.prices().version());
  }

  @Test
  void theBreakdownShowsEachRuleOfTheWorkedExample() {
    Price price =
        ((PriceRules.Priced)
                PriceRules.price(V3, in(0, "plumbing", "NSW-2000", JobSize.LARGE, "gold", 2)))
            .price();
    assertThat(price.breakdown())
        .containsExactly(
            new Price.Step("base", new BigDecimal("20")),
            new Price.Step("region", new BigDecimal("1.5")),
            new Price.Step("jobSize", new BigDecimal("2")),
            new Price.Step("tier", new BigDecimal("0.8")),
            new Price.Step("competition", new BigDecimal("0.8")),
            new Price.Step("rounded", new BigDecimal("38")));
    assertThat(price).isEqualTo(new Price(38, 3, price.breakdown()));
  }

  @Test
  void aLeadWithoutItsOwnCostHasNoPriceWithoutAList() {
    assertThat(PriceRules.price(PricesInForce.NONE, in(0, "plumbing", null, null, null, 0)))
        .isInstanceOf(PriceRules.Unpriced.class);
  }

  @Test
  void aPriceAboveTheMostAClaimMayCostIsNoPrice() {
    assertThat(PriceRules.price(V3, in(Limits.amountCreditsMax, null, "NSW-2000", null, null, 0)))
        .isInstanceOf(PriceRules.Unpriced.class);
    assertThat(PriceRules.price(V3, in(Limits.amountCreditsMax, null, null, null, null, 0)))
        .isInstanceOf(PriceRules.Priced.class);
  }

  record Invalid(String name, PriceList list, String complaint) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static PriceList with(
      PriceList.Base base,
      Map<String, BigDecimal> regions,
      Map<JobSize, BigDecimal> sizes,
      PriceList.Competition competition,
      long minimum,
      RoundingMode rounding) {
    return new PriceList(
        base,
        regions == null ? null : new TreeMap<>(regions),
        sizes,
        null,
        competition,
        minimum,
        rounding);
  }

  private static final PriceList.Base BASE = new PriceList.Base(10, null);

  static Stream<Invalid> invalid() {
    BigDecimal one = BigDecimal.ONE;
    return Stream.of(
        new Invalid("no base", with(null, null, null, null, 1, null), "base.default"),
        new Invalid(
            "base.default 0",
            with(new PriceList.Base(0, null), null, null, null, 1, null),
            "base.default"),
        new Invalid(
            "a category at 0",
            with(new PriceList.Base(10, new TreeMap<>(Map.of("x", 0L))), null, null, null, 1, null),
            "base.categories.x"),
        new Invalid(
            "a category with a bad name",
            with(
                new PriceList.Base(10, new TreeMap<>(Map.of("a b", 5L))),
                null,
                null,
                null,
                1,
                null),
            "base.categories keys"),
        new Invalid(
            "a multiplier of 0",
            with(BASE, Map.of("r", BigDecimal.ZERO), null, null, 1, null),
            "regions.r"),
        new Invalid(
            "a negative multiplier",
            with(BASE, null, Map.of(JobSize.SMALL, one.negate()), null, 1, null),
            "jobSizes.SMALL"),
        new Invalid(
            "a multiplier above 1000",
            with(BASE, Map.of("r", new BigDecimal("1000.5")), null, null, 1, null),
            "regions.r"),
        new Invalid(
            "a multiplier with 7 decimals",
            with(BASE, Map.of("r", new BigDecimal("1.0000001")), null, null, 1, null),
            "regions.r"),
        new Invalid(
            "perClaim below -1",
            with(
                BASE, null, null, new PriceList.Competition(new BigDecimal("-1.5"), null), 1, null),
            "competition.perClaim"),
        new Invalid(
            "a negative floor",
            with(BASE, null, null, new PriceList.Competition(null, one.negate()), 1, null),
            "competition.floor"),
        new Invalid("a negative minimum", with(BASE, null, null, null, -1, null), "minimum"),
        new Invalid(
            "rounding UNNECESSARY",
            with(BASE, null, null, null, 1, RoundingMode.UNNECESSARY),
            "rounding"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesAListThatBreaksARule(Invalid row) {
    assertThat(row.list().problem()).isNotNull().startsWith(row.complaint());
  }

  @Test
  void acceptsTheWorkedExampleAndTheSmallestList() {
    assertThat(example(RoundingMode.HALF_UP, 1).problem()).isNull();
    assertThat(with(BASE, null, null, null, 0, null).problem()).isNull();
  }

  @Test
  void listsThatSayTheSameAreEqualHoweverTheirDecimalsAreSpelt() {
    PriceList a = with(BASE, Map.of("r", new BigDecimal("1.50")), null, null, 1, null);
    PriceList b = with(BASE, Map.of("r", new BigDecimal("15E-1")), null, null, 1, null);
    assertThat(a).isEqualTo(b);
    assertThat(List.of(a.regions().get("r").toPlainString())).containsExactly("1.5");
  }
}
