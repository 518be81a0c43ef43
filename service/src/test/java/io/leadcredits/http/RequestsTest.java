package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertInvalid(Runnable parse, String detailFragment) {
    assertThatThrownBy(parse::run)
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(detailFragment);
  }

  @Test
  void parsesACreditWithReasonAndTransactionIdFromTheBody() {
    Requests.Amount amount =
        Requests.amount(
            json("{\"amount\":500,\"transactionId\":\"t-1\",\"reason\":\"top-up\"}"), null);

    assertThat(amount).isEqualTo(new Requests.Amount(500, "t-1", "top-up"));
    assertThat(amount.metadata()).isEqualTo(Map.of("reason", "top-up"));
  }

  @Test
  void parsesATopUpsGrantTermsWithTheirDefaults() {
    Requests.Credit plain = Requests.credit(json("{\"amount\":5,\"transactionId\":\"t\"}"), null);
    assertThat(plain.terms()).isEqualTo(io.leadcredits.account.GrantTerms.DEFAULT);
    Requests.Credit promo =
        Requests.credit(
            json(
                "{\"amount\":5,\"transactionId\":\"t\",\"category\":\"promotional\","
                    + "\"expiresAt\":\"2027-01-31T10:00:00+10:00\",\"priority\":0}"),
            null);
    assertThat(promo.terms())
        .isEqualTo(
            new io.leadcredits.account.GrantTerms(
                io.leadcredits.account.GrantCategory.PROMOTIONAL,
                Instant.parse("2027-01-31T00:00:00Z"),
                0,
                null));
    Requests.Credit priced =
        Requests.credit(
            json(
                "{\"amount\":5,\"transactionId\":\"t\",\"price\":{\"amountMinor\":1500,"
                    + "\"currency\":\"AUD\"}}"),
            null);
    assertThat(priced.terms().price())
        .isEqualTo(new io.leadcredits.account.GrantTerms.Price(1500, "AUD"));
  }

  @Test
  void rejectsBadGrantTerms() {
    assertInvalid(
        () ->
            Requests.credit(
                json("{\"amount\":5,\"transactionId\":\"t\",\"category\":\"x\"}"), null),
        "category");
    assertInvalid(
        () ->
            Requests.credit(json("{\"amount\":5,\"transactionId\":\"t\",\"priority\":101}"), null),
        "priority");
    assertInvalid(
        () ->
            Requests.credit(
                json("{\"amount\":5,\"transactionId\":\"t\",\"expiresAt\":\"2027-01-31\"}"), null),
        "expiresAt");
    assertInvalid(
        () ->
            Requests.credit(
                json(
                    "{\"amount\":5,\"transactionId\":\"t\",\"category\":\"promotional\","
                        + "\"price\":{\"amountMinor\":1,\"currency\":\"AUD\"}}"),
                null),
        "price");
    assertInvalid(
        () ->
            Requests.credit(
                json("{\"amount\":5,\"transactionId\":\"t\",\"price\":{\"amountMinor\":1}}"), null),
        "currency");
    assertInvalid(
        () -> Requests.voidGrant("a b", json("{\"transactionId\":\"v\"}"), null), "grantId");
    assertInvalid(() -> Requests.voidGrant("g", json("{}"), null), "transaction id is required");
    assertThat(Requests.voidGrant("~legacy", new byte[0], "v").grantId()).isEqualTo("~legacy");
  }

  @Test
  void takesTheTransactionIdFromTheIdempotencyKeyHeader() {
    Requests.Amount amount = Requests.amount(json("{\"amount\":1}"), "key.1");

    assertThat(amount.transactionId()).isEqualTo("key.1");
    assertThat(amount.metadata()).isEmpty();
  }

  @Test
  void acceptsTheSameTransactionIdInBodyAndHeader() {
    assertThat(Requests.amount(json("{\"amount\":1,\"transactionId\":\"t\"}"), "t").transactionId())
        .isEqualTo("t");
  }

  @Test
  void rejectsDifferingTransactionIdsInBodyAndHeader() {
    assertInvalid(
        () -> Requests.amount(json("{\"amount\":1,\"transactionId\":\"a\"}"), "b"), "differ");
  }

  @Test
  void requiresATransactionId() {
    assertInvalid(
        () -> Requests.amount(json("{\"amount\":1}"), null), "transaction id is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"clm_abc", "has space", "", "x/y", "ünïcode"})
  void rejectsBadOrReservedTransactionIdsInTheBody(String id) {
    String body = "{\"amount\":1,\"transactionId\":\"" + id + "\"}";
    assertInvalid(() -> Requests.amount(json(body), null), "transactionId");
  }

  @Test
  void rejectsATooLongTransactionIdAndABadHeader() {
    assertInvalid(
        () ->
            Requests.amount(
                json("{\"amount\":1,\"transactionId\":\"" + "a".repeat(65) + "\"}"), null),
        "transactionId");
    assertInvalid(() -> Requests.amount(json("{\"amount\":1}"), "clm_x"), "Idempotency-Key");
    assertInvalid(() -> Requests.amount(json("{\"amount\":1}"), "a b"), "Idempotency-Key");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "-1",
        "1000000000001",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551616",
        "1.5",
        "1.0",
        "1e3",
        "\"5\"",
        "true",
        "null",
        "[1]",
        "{}"
      })
  void rejectsAmountsThatAreNotIntegersInRange(String amount) {
    assertInvalid(
        () -> Requests.amount(json("{\"amount\":" + amount + ",\"transactionId\":\"t\"}"), null),
        "amount");
  }

  @Test
  void acceptsTheAmountBounds() {
    assertThat(
            Requests.amount(json("{\"amount\":1000000000000,\"transactionId\":\"t\"}"), null)
                .amount())
        .isEqualTo(Requests.AMOUNT_MAX);
    assertThat(Requests.amount(json("{\"amount\":1,\"transactionId\":\"t\"}"), null).amount())
        .isEqualTo(1);
  }

  @Test
  void requiresTheAmount() {
    assertInvalid(
        () -> Requests.amount(json("{\"transactionId\":\"t\"}"), null), "amount is required");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "  ",
        "{",
        "{\"amount\":1,}",
        "[]",
        "1",
        "\"s\"",
        "null",
        "{\"amount\":1} {}",
        "{'amount':1}"
      })
  void rejectsBodiesThatAreNotOneJsonObject(String body) {
    assertThatThrownBy(() -> Requests.amount(json(body), "t"))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void rejectsDuplicateKeys() {
    assertInvalid(() -> Requests.amount(json("{\"amount\":1,\"amount\":2}"), "t"), "Duplicate");
  }

  @Test
  void rejectsUnknownFields() {
    assertInvalid(
        () -> Requests.amount(json("{\"amount\":1,\"amout\":2}"), "t"), "unknown field: amout");
    assertInvalid(
        () -> Requests.reserve(json("{\"amount\":1,\"reason\":\"r\"}"), "t"),
        "unknown field: reason");
  }

  @Test
  void rejectsBadReasons() {
    assertInvalid(
        () -> Requests.amount(json("{\"amount\":1,\"reason\":5}"), "t"), "reason must be a string");
    assertInvalid(
        () -> Requests.amount(json("{\"amount\":1,\"reason\":\"a\\nb\"}"), "t"), "control");
    assertInvalid(
        () -> Requests.amount(json("{\"amount\":1,\"reason\":\"a\\u0000\"}"), "t"), "control");
    String tooLong = "x".repeat(Requests.REASON_LENGTH_MAX + 1);
    assertInvalid(
        () -> Requests.amount(json("{\"amount\":1,\"reason\":\"" + tooLong + "\"}"), "t"),
        "at most");
    String longest = "é".repeat(Requests.REASON_LENGTH_MAX);
    assertThat(Requests.amount(json("{\"amount\":1,\"reason\":\"" + longest + "\"}"), "t").reason())
        .isEqualTo(longest);
  }

  @Test
  void parsesAReservationWithAndWithoutTtl() {
    assertThat(
            Requests.reserve(
                json("{\"amount\":7,\"transactionId\":\"h1\",\"ttlSeconds\":60}"), null))
        .isEqualTo(new Requests.Reserve(7, "h1", Duration.ofSeconds(60)));
    assertThat(Requests.reserve(json("{\"amount\":7}"), "h2"))
        .isEqualTo(new Requests.Reserve(7, "h2", null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "86401", "1.5", "\"60\"", "false"})
  void rejectsTtlsOutOfRange(String ttl) {
    assertInvalid(
        () -> Requests.reserve(json("{\"amount\":1,\"ttlSeconds\":" + ttl + "}"), "h"),
        "ttlSeconds");
  }

  @Test
  void reservationRequiresAHoldId() {
    assertInvalid(
        () -> Requests.reserve(json("{\"amount\":1}"), null), "transaction id is required");
  }

  @Test
  void parsesALead() {
    Requests.CreateLead lead =
        Requests.createLead(
            json(
                "{\"leadId\":\"L1\",\"creditCost\":5,\"maxClaims\":3,\"expiresAt\":\"2026-01-02T00:00:00Z\"}"),
            null,
            NOW);

    assertThat(lead)
        .isEqualTo(new Requests.CreateLead("L1", 5, 3, Instant.parse("2026-01-02T00:00:00Z")));
  }

  @Test
  void acceptsAnExpiryWithAnOffset() {
    Requests.CreateLead lead =
        Requests.createLead(
            json("{\"creditCost\":5,\"maxClaims\":3,\"expiresAt\":\"2026-01-02T10:00:00+10:00\"}"),
            null,
            NOW);

    assertThat(lead.expiresAt()).isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
  }

  @Test
  void derivesTheLeadIdFromTheIdempotencyKey() {
    byte[] body = json("{\"creditCost\":5,\"maxClaims\":3}");
    String first = Requests.createLead(body, "create-1", NOW).leadId();

    assertThat(Requests.createLead(body, "create-1", NOW).leadId()).isEqualTo(first);
    assertThat(Requests.createLead(body, "create-2", NOW).leadId()).isNotEqualTo(first);
    assertThat(io.leadcredits.Ids.isValid(first)).isTrue();
  }

  @Test
  void generatesADistinctValidLeadIdWithoutKey() {
    byte[] body = json("{\"creditCost\":5,\"maxClaims\":3}");
    String a = Requests.createLead(body, null, NOW).leadId();
    String b = Requests.createLead(body, null, NOW).leadId();

    assertThat(a).isNotEqualTo(b);
    assertThat(io.leadcredits.Ids.isValid(a)).isTrue();
  }

  @Test
  void aGivenLeadIdWins() {
    assertThat(
            Requests.createLead(
                    json("{\"leadId\":\"mine\",\"creditCost\":5,\"maxClaims\":3}"), "k", NOW)
                .leadId())
        .isEqualTo("mine");
  }

  @Test
  void parsesALeadThePriceListPrices() {
    Requests.CreateLead lead =
        Requests.createLead(
            json(
                "{\"leadId\":\"L2\",\"maxClaims\":3,\"category\":\"plumbing\","
                    + "\"region\":\"NSW-2000\",\"jobSize\":\"LARGE\"}"),
            null,
            NOW);
    assertThat(lead.terms())
        .isEqualTo(
            io.leadcredits.lead.LeadRules.Terms.of(
                0, 3, null, "plumbing", "NSW-2000", io.leadcredits.pricing.JobSize.LARGE));
    assertInvalid(
        () -> Requests.createLead(json("{\"maxClaims\":3,\"jobSize\":\"HUGE\"}"), null, NOW),
        "jobSize");
    assertInvalid(
        () -> Requests.createLead(json("{\"maxClaims\":3,\"region\":\"a b\"}"), null, NOW),
        "region");
  }

  @Test
  void readsAPriceListsDecimalsExactly() {
    io.leadcredits.pricing.PriceList list =
        Requests.priceList(
            json(
                "{\"base\":{\"default\":10},\"regions\":{\"r\":0.1},"
                    + "\"competition\":{\"perClaim\":-0.000001}}"));
    assertThat(list.regions().get("r")).isEqualTo(new java.math.BigDecimal("0.1"));
    assertThat(list.competition().perClaim()).isEqualTo(new java.math.BigDecimal("-0.000001"));
    assertThat(list.minimum()).isEqualTo(1);
    assertThat(list.rounding()).isEqualTo(java.math.RoundingMode.HALF_UP);
  }

  @Test
  void aClaimsBodyIsNothingOrAMaxCost() {
    assertThat(Requests.claimMaxCost(new byte[0])).isEqualTo(Long.MAX_VALUE);
    assertThat(Requests.claimMaxCost(json("{}"))).isEqualTo(Long.MAX_VALUE);
    assertThat(Requests.claimMaxCost(json("{\"maxCost\":7}"))).isEqualTo(7);
    assertInvalid(() -> Requests.claimMaxCost(json("{\"maxCost\":0}")), "maxCost");
    assertInvalid(() -> Requests.claimMaxCost(json("{\"maxCost\":1.5}")), "maxCost");
    assertInvalid(() -> Requests.claimMaxCost(json("{\"tradieId\":\"x\"}")), "unknown field");
  }

  @Test
  void rejectsBadLeads() {
    assertInvalid(
        () ->
            Requests.createLead(
                json("{\"leadId\":\"a b\",\"creditCost\":5,\"maxClaims\":3}"), null, NOW),
        "leadId");
    assertInvalid(
        () ->
            Requests.createLead(json("{\"leadId\":7,\"creditCost\":5,\"maxClaims\":3}"), null, NOW),
        "leadId");
    assertInvalid(
        () -> Requests.createLead(json("{\"creditCost\":0,\"maxClaims\":3}"), null, NOW),
        "creditCost");
    assertInvalid(
        () -> Requests.createLead(json("{\"creditCost\":5}"), null, NOW), "maxClaims is required");
    assertInvalid(
        () -> Requests.createLead(json("{\"creditCost\":5,\"maxClaims\":0}"), null, NOW),
        "maxClaims");
    assertInvalid(
        () -> Requests.createLead(json("{\"creditCost\":5,\"maxClaims\":1001}"), null, NOW),
        "maxClaims");
    assertInvalid(
        () -> Requests.createLead(json("{\"creditCost\":5,\"maxClaims\":2.0}"), null, NOW),
        "maxClaims");
    assertInvalid(
        () -> Requests.createLead(json("{\"creditCost\":5,\"maxClaims\":3,\"x\":1}"), null, NOW),
        "unknown field");
    assertInvalid(
        () -> Requests.createLead(json("{\"creditCost\":5,\"maxClaims\":3}"), "clm_1", NOW),
        "Idempotency-Key");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"2025-12-31T23:59:59Z\"",
        "\"2026-01-01T00:00:00Z\"",
        "\"tomorrow\"",
        "\"2026-01-02\"",
        "1767312000",
        "\"+10000-01-01T00:00:00Z\""
      })
  void rejectsExpiriesNotInTheFutureOrNotInstants(String expiresAt) {
    assertInvalid(
        () ->
            Requests.createLead(
                json("{\"creditCost\":5,\"maxClaims\":3,\"expiresAt\":" + expiresAt + "}"),
                null,
                NOW),
        "expiresAt");
  }

  @Test
  void commandsWithoutParametersTakeNoBodyOrAnEmptyObject() {
    Requests.noFields(new byte[0]);
    Requests.noFields(json("{}"));
    assertInvalid(() -> Requests.noFields(json("{\"tradieId\":\"x\"}")), "unknown field: tradieId");
    assertInvalid(() -> Requests.noFields(json("[]")), "JSON object");
  }

  @Test
  void parsesTrailQueries() {
    assertThat(Requests.trailQuery(null, null)).isEqualTo(new Requests.TrailQuery(0, 100));
    assertThat(Requests.trailQuery("42", "1000")).isEqualTo(new Requests.TrailQuery(42, 1000));
    assertInvalid(() -> Requests.trailQuery("-1", null), "after");
    assertInvalid(() -> Requests.trailQuery("x", null), "after");
    assertInvalid(() -> Requests.trailQuery("99999999999999999999", null), "after");
    assertInvalid(() -> Requests.trailQuery(null, "0"), "limit");
    assertInvalid(() -> Requests.trailQuery(null, "1001"), "limit");
    assertInvalid(() -> Requests.trailQuery(null, "+5"), "limit");
    assertInvalid(() -> Requests.trailQuery(null, ""), "limit");
  }

  @Test
  void validatesPathIds() {
    assertThat(Requests.pathId("acc-1", "accountId")).isEqualTo("acc-1");
    assertInvalid(() -> Requests.pathId("a:b", "accountId"), "accountId");
    assertInvalid(() -> Requests.pathId("x".repeat(65), "holdId"), "holdId");
  }
}
