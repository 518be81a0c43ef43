package io.leadcredits.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadcredits.Limits;
import io.leadcredits.account.Grant;
import io.leadcredits.account.GrantCategory;
import io.leadcredits.account.GrantTerms;
import io.leadcredits.feed.EventTypes;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.TypeFilter;
import io.leadcredits.lead.LeadRules;
import io.leadcredits.lead.LeadStatus;
import io.leadcredits.pricing.JobSize;
import io.leadcredits.pricing.PriceList;
import io.leadcredits.webhook.UrlPolicy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The request bodies and query parameters of the API, parsed and validated in full before the
 * engine sees them. Every method throws {@link InvalidRequestException} for input a client must
 * change; the engine trusts what comes out of here.
 */
public final class Requests {
  public static final long AMOUNT_MAX = Limits.amountCreditsMax;
  public static final int REASON_LENGTH_MAX = Limits.reasonLengthMax;

  /** Year 10000 and later has no ISO-8601 form without a sign; no lead lives that long. */
  private static final Instant EXPIRES_AT_MAX = Instant.parse("9999-12-31T23:59:59Z");

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");
  private static final String LEAD_ID_PREFIX = "lead_";
  private static final String HEADER = "the Idempotency-Key header";

  private Requests() {}

  /** A credit or a debit. */
  public record Amount(long amount, String transactionId, String reason) {
    /** What the engine stores with the change: the reason when one was given, nothing else. */
    public Map<String, String> metadata() {
      return reason == null ? Map.of() : Map.of("reason", reason);
    }
  }

  /** A top-up: its amount and transaction id, and the terms of the grant it makes. */
  public record Credit(Amount amount, GrantTerms terms) {}

  /** A void of a grant's remainder. */
  public record VoidGrant(String grantId, String transactionId, String reason) {}

  /** A reservation; {@code ttl} null means the engine's default. */
  public record Reserve(long amount, String holdId, Duration ttl) {}

  /**
   * A new lead; {@code expiresAt} null means it does not expire, {@code creditCost} 0 that the
   * price list gives its base.
   */
  public record CreateLead(String leadId, LeadRules.Terms terms) {
    /** A lead at its own fixed price. */
    public CreateLead(String leadId, long creditCost, int maxClaims, Instant expiresAt) {
      this(leadId, LeadRules.Terms.fixed(creditCost, maxClaims, expiresAt));
    }

    public long creditCost() {
      return terms.creditCost();
    }

    public int maxClaims() {
      return terms.maxClaims();
    }

    public Instant expiresAt() {
      return terms.expiresAt();
    }
  }

  /** A page request on an account's audit trail. */
  public record TrailQuery(long after, int limit) {}

  /** A statement's period {@code [from, to)}. */
  public record StatementQuery(Instant from, Instant to) {}

  /** A list of the newest leads; {@code status} null means every status. */
  public record LeadQuery(LeadStatus status, int limit) {}

  public record FeedQuery(FeedCursor after, int limit, TypeFilter types, Duration waitMax) {}

  /** A new webhook endpoint; {@code types} empty means every type. */
  public record CreateWebhook(String url, List<String> types, String description) {}

  /**
   * {@code {"amount","transactionId"?,"reason"?}}, the transaction id from the body or the header.
   */
  public static Amount amount(byte[] body, String idempotencyKey) {
    ObjectNode json = Json.parseObject(body);
    Fields.onlyKnown(json, Set.of("amount", "transactionId", "reason"));
    long amount = Fields.integer(json, "amount", 1, AMOUNT_MAX);
    String transactionId =
        transactionId(Fields.optionalString(json, "transactionId"), idempotencyKey);
    return new Amount(amount, transactionId, reason(Fields.optionalString(json, "reason")));
  }

  /**
   * {@code {"amount","transactionId"?,"reason"?,"category"?,"expiresAt"?,"priority"?,"price"?}}: a
   * top-up and its grant's terms. Whether {@code expiresAt} is ahead of now the rulebook decides,
   * after a repeat is answered (a repeat may come after the expiry); here only its bounds.
   */
  public static Credit credit(byte[] body, String idempotencyKey) {
    ObjectNode json = Json.parseObject(body);
    Fields.onlyKnown(
        json,
        Set.of("amount", "transactionId", "reason", "category", "expiresAt", "priority", "price"));
    long amount = Fields.integer(json, "amount", 1, AMOUNT_MAX);
    String transactionId =
        transactionId(Fields.optionalString(json, "transactionId"), idempotencyKey);
    Amount parsed =
        new Amount(amount, transactionId, reason(Fields.optionalString(json, "reason")));
    String categoryName = Fields.optionalString(json, "category");
    GrantCategory category =
        categoryName == null
            ? GrantCategory.PAID
            : GrantCategory.parse(categoryName)
                .orElseThrow(
                    () -> new InvalidRequestException("category must be paid or promotional"));
    Instant expiresAt = grantExpiry(Fields.optionalString(json, "expiresAt"));
    int priority =
        (int)
            Fields.optionalInteger(
                json,
                "priority",
                Limits.grantPriorityMin,
                Limits.grantPriorityMax,
                Limits.grantPriorityDefault);
    GrantTerms.Price price = price(json.get("price"));
    if (price != null && category != GrantCategory.PAID) {
      throw new InvalidRequestException("price: only a paid grant has a price");
    }
    return new Credit(parsed, new GrantTerms(category, expiresAt, priority, price));
  }

  /** An RFC 3339 instant with an offset, or null; the rulebook checks it against the time. */
  private static Instant grantExpiry(String text) {
    if (text == null) {
      return null;
    }
    try {
      Instant at = java.time.OffsetDateTime.parse(text).toInstant();
      if (at.isAfter(EXPIRES_AT_MAX)) {
        throw new InvalidRequestException("expiresAt must be at most 10 years ahead");
      }
      return at;
    } catch (java.time.format.DateTimeParseException e) {
      throw new InvalidRequestException(
          "expiresAt must be an RFC 3339 date-time with an offset, e.g. 2027-01-31T00:00:00Z");
    }
  }

  /** {@code {"amountMinor","currency"}} or absent. */
  private static GrantTerms.Price price(com.fasterxml.jackson.databind.JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new InvalidRequestException("price must be an object {amountMinor, currency}");
    }
    ObjectNode price = (ObjectNode) node;
    Fields.onlyKnown(price, Set.of("amountMinor", "currency"));
    long amountMinor = Fields.integer(price, "amountMinor", 0, AMOUNT_MAX);
    String currency = Fields.optionalString(price, "currency");
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      throw new InvalidRequestException("price.currency must be a three-letter ISO 4217 code");
    }
    return new GrantTerms.Price(amountMinor, currency);
  }

  /**
   * {@code {"transactionId"?,"reason"?}} of a void of {@code grantId} (from the path), the
   * transaction id from the body or the header.
   */
  public static VoidGrant voidGrant(String grantId, byte[] body, String idempotencyKey) {
    grantId(grantId);
    ObjectNode json = body.length == 0 ? Json.object() : Json.parseObject(body);
    Fields.onlyKnown(json, Set.of("transactionId", "reason"));
    String transactionId =
        transactionId(Fields.optionalString(json, "transactionId"), idempotencyKey);
    return new VoidGrant(grantId, transactionId, reason(Fields.optionalString(json, "reason")));
  }

  /** A grant's id in a path: a transaction id, or the legacy grant's. */
  public static String grantId(String grantId) {
    if (!Grant.LEGACY_ID.equals(grantId)) {
      Fields.requireId(grantId, "grantId");
    }
    return grantId;
  }

  /** {@code {"amount","transactionId"?,"ttlSeconds"?}}; the transaction id is the hold id. */
  public static Reserve reserve(byte[] body, String idempotencyKey) {
    ObjectNode json = Json.parseObject(body);
    Fields.onlyKnown(json, Set.of("amount", "transactionId", "ttlSeconds"));
    long amount = Fields.integer(json, "amount", 1, AMOUNT_MAX);
    String holdId = transactionId(Fields.optionalString(json, "transactionId"), idempotencyKey);
    long ttlSeconds =
        Fields.optionalInteger(json, "ttlSeconds", 1, Limits.holdTtlCeiling.toSeconds(), 0);
    return new Reserve(amount, holdId, ttlSeconds == 0 ? null : Duration.ofSeconds(ttlSeconds));
  }

  /**
   * {@code {"leadId"?,"creditCost"?,"maxClaims","expiresAt"?,"category"?,"region"?,"jobSize"?}}.
   * Without creditCost the price list gives the lead's base. Without a leadId the id is derived
   * from the Idempotency-Key, so a retried create names the same lead, or else random.
   */
  public static CreateLead createLead(byte[] body, String idempotencyKey, Instant now) {
    ObjectNode json = Json.parseObject(body);
    Fields.onlyKnown(
        json,
        Set.of("leadId", "creditCost", "maxClaims", "expiresAt", "category", "region", "jobSize"));
    if (idempotencyKey != null) {
      Fields.requireTransactionId(idempotencyKey, HEADER);
    }
    String leadId = Fields.optionalId(json, "leadId");
    long creditCost = Fields.optionalInteger(json, "creditCost", 1, AMOUNT_MAX, 0);
    int maxClaims = (int) Fields.integer(json, "maxClaims", 1, Limits.claimsPerLeadMax);
    Instant expiresAt = expiresAt(Fields.optionalString(json, "expiresAt"), now);
    String category = Fields.optionalId(json, "category");
    String region = Fields.optionalId(json, "region");
    JobSize jobSize = jobSize(Fields.optionalString(json, "jobSize"));
    if (leadId == null) {
      leadId = idempotencyKey != null ? derivedLeadId(idempotencyKey) : randomLeadId();
    }
    return new CreateLead(
        leadId, LeadRules.Terms.of(creditCost, maxClaims, expiresAt, category, region, jobSize));
  }

  private static JobSize jobSize(String name) {
    if (name == null) {
      return null;
    }
    try {
      return JobSize.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("jobSize must be SMALL, MEDIUM or LARGE");
    }
  }

  /**
   * A claim's body: none, {@code {}}, or {@code {"maxCost":n}}; {@link Long#MAX_VALUE} when no
   * bound is given.
   */
  public static long claimMaxCost(byte[] body) {
    if (body.length == 0) {
      return Long.MAX_VALUE;
    }
    ObjectNode json = Json.parseObject(body);
    Fields.onlyKnown(json, Set.of("maxCost"));
    return Fields.optionalInteger(json, "maxCost", 1, AMOUNT_MAX, Long.MAX_VALUE);
  }

  /** A refund request: {@code {"reason","note"?}}, the reason one a tradie may give. */
  public record RefundAsk(io.leadcredits.refund.RefundReason reason, String note) {}

  public static RefundAsk refundRequest(byte[] body) {
    ObjectNode json = Json.parseObject(body);
    Fields.onlyKnown(json, Set.of("reason", "note"));
    String reason = Fields.optionalString(json, "reason");
    if (reason == null) {
      throw new InvalidRequestException("reason is required");
    }
    return new RefundAsk(
        io.leadcredits.refund.RefundReason.ofRequest(reason)
            .orElseThrow(
                () ->
                    new InvalidRequestException(
                        "reason must be CUSTOMER_UNREACHABLE, WRONG_CATEGORY, OUT_OF_AREA,"
                            + " DUPLICATE, FAKE or OTHER")),
        reason(Fields.optionalString(json, "note")));
  }

  /** An approval: none, {@code {}}, or {@code {"amount"?,"note"?}}; amount null: the full price. */
  public record RefundApproval(Long amount, String note) {}

  public static RefundApproval refundApproval(byte[] body) {
    if (body.length == 0) {
      return new RefundApproval(null, null);
    }
    ObjectNode json = Json.parseObject(body);
    Fields.onlyKnown(json, Set.of("amount", "note"));
    Long amount =
        json.has("amount") && !json.get("amount").isNull()
            ? Fields.integer(json, "amount", 1, AMOUNT_MAX)
            : null;
    return new RefundApproval(amount, reason(Fields.optionalString(json, "note")));
  }

  /** A lead's void: {@code {"reason"}}, required, not blank, bounded, no control characters. */
  public static String voidLead(byte[] body) {
    ObjectNode json = Json.parseObject(body);
    Fields.onlyKnown(json, Set.of("reason"));
    String reason = reason(Fields.optionalString(json, "reason"));
    if (reason == null || reason.isBlank()) {
      throw new InvalidRequestException("reason is required");
    }
    return reason;
  }

  /** A rejection: none, {@code {}}, or {@code {"note"?}}. */
  public static String refundRejection(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    ObjectNode json = Json.parseObject(body);
    Fields.onlyKnown(json, Set.of("note"));
    return reason(Fields.optionalString(json, "note"));
  }

  /**
   * {@code {"lowBalanceThreshold":n}}: announce a fall of available below n (0: off); n is at most
   * the largest amount.
   */
  public static long alerts(byte[] body) {
    ObjectNode json = Json.parseObject(body);
    Fields.onlyKnown(json, Set.of("lowBalanceThreshold"));
    return Fields.integer(json, "lowBalanceThreshold", 0, AMOUNT_MAX);
  }

  /** {@code {"tier":"gold"}}, or {@code {"tier":null}} for none. */
  public static String tier(byte[] body) {
    ObjectNode json = Json.parseObject(body);
    Fields.onlyKnown(json, Set.of("tier"));
    if (!json.has("tier")) {
      throw new InvalidRequestException("tier is required (null for none)");
    }
    return Fields.optionalId(json, "tier");
  }

  /**
   * The price list document: {@code {"base":{"default","categories"?},"regions"?,"jobSizes"?,
   * "tiers"?,"competition"?:{"perClaim"?,"floor"?},"minimum"?,"rounding"?}}, decimals read exactly.
   * A {@code "version"} field is ignored, so a document read from GET can be sent back changed.
   */
  public static PriceList priceList(byte[] body) {
    ObjectNode json = Json.parseExactObject(body);
    Fields.onlyKnown(
        json,
        Set.of(
            "base",
            "regions",
            "jobSizes",
            "tiers",
            "competition",
            "minimum",
            "rounding",
            "version",
            "changedAt",
            "changedBy"));
    ObjectNode base = object(json, "base", true);
    Fields.onlyKnown(base, Set.of("default", "categories"));
    long defaultCost = Fields.integer(base, "default", 1, AMOUNT_MAX);
    Map<String, Long> categories = new TreeMap<>();
    ObjectNode cats = object(base, "categories", false);
    if (cats != null) {
      cats.fieldNames()
          .forEachRemaining(
              name -> categories.put(name, Fields.integer(cats, name, 1, AMOUNT_MAX)));
    }
    Map<JobSize, BigDecimal> sizes = new TreeMap<>();
    decimals(json, "jobSizes").forEach((name, m) -> sizes.put(jobSize(name), m));
    ObjectNode competition = object(json, "competition", false);
    PriceList.Competition comp = PriceList.Competition.NONE;
    if (competition != null) {
      Fields.onlyKnown(competition, Set.of("perClaim", "floor"));
      comp =
          new PriceList.Competition(
              decimal(competition, "perClaim", BigDecimal.ZERO),
              decimal(competition, "floor", BigDecimal.ZERO));
    }
    long minimum = Fields.optionalInteger(json, "minimum", 0, AMOUNT_MAX, 1);
    PriceList list =
        new PriceList(
            new PriceList.Base(defaultCost, new TreeMap<>(categories)),
            new TreeMap<>(decimals(json, "regions")),
            sizes,
            new TreeMap<>(decimals(json, "tiers")),
            comp,
            minimum,
            rounding(Fields.optionalString(json, "rounding")));
    String problem = list.problem();
    if (problem != null) {
      throw new InvalidRequestException(problem);
    }
    return list;
  }

  private static RoundingMode rounding(String name) {
    if (name == null) {
      return RoundingMode.HALF_UP;
    }
    try {
      RoundingMode mode = RoundingMode.valueOf(name);
      if (mode != RoundingMode.UNNECESSARY) {
        return mode;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw new InvalidRequestException(
        "rounding must be one of HALF_UP, HALF_EVEN, HALF_DOWN, UP, DOWN, CEILING, FLOOR");
  }

  private static ObjectNode object(ObjectNode json, String field, boolean required) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw new InvalidRequestException(field + " is required");
      }
      return null;
    }
    if (!node.isObject()) {
      throw new InvalidRequestException(field + " must be a JSON object");
    }
    return (ObjectNode) node;
  }

  private static Map<String, BigDecimal> decimals(ObjectNode json, String field) {
    Map<String, BigDecimal> out = new TreeMap<>();
    ObjectNode map = object(json, field, false);
    if (map != null) {
      map.fieldNames().forEachRemaining(name -> out.put(name, decimal(map, name, null)));
    }
    return out;
  }

  private static BigDecimal decimal(ObjectNode json, String field, BigDecimal absent) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      if (absent == null) {
        throw new InvalidRequestException(field + " must be a number");
      }
      return absent;
    }
    if (!node.isNumber()) {
      throw new InvalidRequestException(field + " must be a JSON number");
    }
    BigDecimal value = node.decimalValue();
    if (value.abs().compareTo(PriceList.multiplierMax.movePointRight(1)) > 0
        || value.scale() > 2 * PriceList.multiplierScaleMax) {
      throw new InvalidRequestException(
          field
              + " must be at most "
              + PriceList.multiplierMax
              + " with at most "
              + PriceList.multiplierScaleMax
              + " decimals");
    }
    return PriceList.canonical(value);
  }

  /** A command without parameters (claim, close, capture, release): no body, or {@code {}}. */
  public static void noFields(byte[] body) {
    if (body.length > 0) {
      Fields.onlyKnown(Json.parseObject(body), Set.of());
    }
  }

  /** {@code ?after=&limit=}: after a version (default 0, the start), at most limit items. */
  public static TrailQuery trailQuery(String after, String limit) {
    long afterVersion = after == null ? 0 : digits(after, "after");
    long pageSize = limit == null ? Limits.trailPageDefault : digits(limit, "limit");
    if (pageSize < 1 || pageSize > Limits.trailPageMax) {
      throw new InvalidRequestException("limit must be between 1 and " + Limits.trailPageMax);
    }
    return new TrailQuery(afterVersion, (int) pageSize);
  }

  /**
   * {@code ?from=&to=} of a statement, both RFC 3339 instants with an offset and optional: from the
   * account's start (the epoch) to {@code now}; from may not be after to.
   */
  public static StatementQuery statementQuery(String from, String to, Instant now) {
    Instant start = from == null ? Instant.EPOCH : rfc3339(from, "from");
    Instant end = to == null ? now : rfc3339(to, "to");
    if (start.isAfter(end)) {
      throw new InvalidRequestException("from must not be after to");
    }
    return new StatementQuery(start, end);
  }

  private static Instant rfc3339(String text, String name) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      throw new InvalidRequestException(
          name + " must be an RFC 3339 instant, e.g. 2026-12-01T00:00:00Z");
    }
  }

  /**
   * {@code ?after=&limit=&type=&wait=} of the event feed, all optional: after a cursor the feed
   * handed out (default: from the beginning), at most limit events, only those of the types named
   * (exact, or a prefix ending in a dot), waiting up to wait seconds for a first one.
   */
  public static FeedQuery feedQuery(String after, String limit, List<String> types, String wait) {
    FeedCursor cursor = FeedCursor.START;
    if (after != null) {
      cursor =
          FeedCursor.decode(after)
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          "after must be a cursor the feed handed out (an event's cursor or a"
                              + " page's next)"));
    }
    long pageSize = limit == null ? Limits.feedPageDefault : digits(limit, "limit");
    if (pageSize < 1 || pageSize > Limits.feedPageMax) {
      throw new InvalidRequestException("limit must be between 1 and " + Limits.feedPageMax);
    }
    TypeFilter filter =
        TypeFilter.of(types)
            .orElseThrow(
                () ->
                    new InvalidRequestException(
                        "type must be an event type or a prefix ending in '.', one of "
                            + String.join(", ", EventTypes.ALL)));
    long seconds = wait == null ? 0 : digits(wait, "wait");
    if (seconds > Limits.feedWaitMax.toSeconds()) {
      throw new InvalidRequestException(
          "wait must be between 0 and " + Limits.feedWaitMax.toSeconds() + " seconds");
    }
    return new FeedQuery(cursor, (int) pageSize, filter, Duration.ofSeconds(seconds));
  }

  /**
   * {@code ?at=&from=&to=}, each an RFC 3339 date-time with an offset and optional: the report as
   * of {@code at} (default now; not in the future, which nobody can report yet), expiries and voids
   * in [{@code from}, {@code to}) (default the 30 days up to {@code at}), {@code from} before
   * {@code to}.
   */
  public static io.leadcredits.report.CreditReport.Query creditReportQuery(
      String at, String from, String to, Instant now) {
    Instant asOf = at == null ? now : reportTime(at, "at");
    if (asOf.isAfter(now)) {
      throw new InvalidRequestException("at must not be in the future");
    }
    Instant end = to == null ? asOf : reportTime(to, "to");
    Instant start =
        from == null
            ? end.minus(io.leadcredits.report.CreditReport.EXPIRING_WITHIN)
            : reportTime(from, "from");
    if (!start.isBefore(end)) {
      throw new InvalidRequestException("from must be before to");
    }
    return new io.leadcredits.report.CreditReport.Query(asOf, start, end);
  }

  private static Instant reportTime(String text, String name) {
    try {
      Instant t = OffsetDateTime.parse(text).toInstant();
      if (t.isAfter(EXPIRES_AT_MAX) || t.isBefore(Instant.EPOCH)) {
        throw new InvalidRequestException(name + " must be between 1970 and 9999");
      }
      return t;
    } catch (DateTimeException e) {
      throw new InvalidRequestException(
          name + " must be an RFC 3339 date-time with an offset, e.g. 2027-01-31T00:00:00Z");
    }
  }

  /** {@code ?status=OPEN|FULL|CLOSED} (any case) and {@code ?limit=}, both optional. */
  /** {@code ?status=&limit=&after=} of the refund list: limit 1..100 (default 20). */
  public record RefundQuery(io.leadcredits.refund.RefundStatus status, String after, int limit) {}

  public static RefundQuery refundQuery(String status, String limit, String after) {
    io.leadcredits.refund.RefundStatus wanted = null;
    if (status != null) {
      try {
        wanted = io.leadcredits.refund.RefundStatus.valueOf(status.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("status must be one of PENDING, APPROVED, REJECTED");
      }
    }
    long pageSize = limit == null ? Limits.leadListPageDefault : digits(limit, "limit");
    if (pageSize < 1 || pageSize > Limits.leadListPageMax) {
      throw new InvalidRequestException("limit must be between 1 and " + Limits.leadListPageMax);
    }
    if (after != null) {
      Fields.requireId(after, "after");
    }
    return new RefundQuery(wanted, after, (int) pageSize);
  }

  public static LeadQuery leadQuery(String status, String limit) {
    LeadStatus wanted = null;
    if (status != null) {
      try {
        wanted = LeadStatus.valueOf(status.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("status must be one of OPEN, FULL, CLOSED");
      }
    }
    long pageSize = limit == null ? Limits.leadListPageDefault : digits(limit, "limit");
    if (pageSize < 1 || pageSize > Limits.leadListPageMax) {
      throw new InvalidRequestException("limit must be between 1 and " + Limits.leadListPageMax);
    }
    return new LeadQuery(wanted, (int) pageSize);
  }

  /** An id taken from the path. */
  /**
   * {@code {"url","types"?,"description"?}}: an absolute http(s) URL (where it points is checked by
   * the engine, which resolves it), event types or prefixes ending in '.', a note for people.
   */
  public static CreateWebhook createWebhook(byte[] body) {
    ObjectNode json = Json.parseObject(body);
    Fields.onlyKnown(json, Set.of("url", "types", "description"));
    String url = Fields.optionalString(json, "url");
    if (url == null) {
      throw new InvalidRequestException("url is required");
    }
    UrlPolicy.formRefusal(url)
        .ifPresent(
            reason -> {
              throw new InvalidRequestException(reason);
            });
    List<String> types = webhookTypes(json.get("types"));
    String description = Fields.optionalString(json, "description");
    if (description != null && description.length() > Limits.webhookDescriptionLengthMax) {
      throw new InvalidRequestException(
          "description must be at most " + Limits.webhookDescriptionLengthMax + " characters");
    }
    return new CreateWebhook(url, types, description);
  }

  private static List<String> webhookTypes(com.fasterxml.jackson.databind.JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray() || node.size() > EventTypes.ALL.size()) {
      throw new InvalidRequestException(
          "types must be an array of at most " + EventTypes.ALL.size() + " event types");
    }
    List<String> types = new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode t : node) {
      if (!t.isTextual()) {
        throw new InvalidRequestException("types must be an array of strings");
      }
      types.add(t.textValue());
    }
    return TypeFilter.of(types)
        .orElseThrow(
            () ->
                new InvalidRequestException(
                    "each of types must be an event type or a prefix ending in '.', one of "
                        + String.join(", ", EventTypes.ALL)))
        .entries();
  }

  /** {@code ?limit=} of an endpoint's deliveries. */
  public static int deliveriesLimit(String limit) {
    long pageSize = limit == null ? Limits.webhookDeliveriesPageDefault : digits(limit, "limit");
    if (pageSize < 1 || pageSize > Limits.webhookDeliveriesPageMax) {
      throw new InvalidRequestException(
          "limit must be between 1 and " + Limits.webhookDeliveriesPageMax);
    }
    return (int) pageSize;
  }

  public static String pathId(String id, String what) {
    Fields.requireId(id, what);
    return id;
  }

  /**
   * The transaction id of a mutation: the body's {@code transactionId} or the Idempotency-Key
   * header. One is required; both may be given only if they agree.
   */
  static String transactionId(String field, String header) {
    if (field != null) {
      Fields.requireTransactionId(field, "transactionId");
    }
    if (header != null) {
      Fields.requireTransactionId(header, HEADER);
    }
    if (field != null && header != null && !field.equals(header)) {
      throw new InvalidRequestException("transactionId and the Idempotency-Key header differ");
    }
    if (field == null && header == null) {
      throw new InvalidRequestException(
          "a transaction id is required: the transactionId field or the Idempotency-Key header");
    }
    return field != null ? field : header;
  }

  /** The same key always names the same lead; a hash keeps the id short whatever the key. */
  static String derivedLeadId(String idempotencyKey) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("lead\u0000" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
      // 16 bytes (128 bits) of the digest: collisions between keys are out of reach.
      return LEAD_ID_PREFIX + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  private static String randomLeadId() {
    return LEAD_ID_PREFIX + UUID.randomUUID().toString().replace("-", "");
  }

  private static String reason(String reason) {
    if (reason == null) {
      return null;
    }
    if (reason.codePointCount(0, reason.length()) > REASON_LENGTH_MAX) {
      throw new InvalidRequestException(
          "reason must be at most " + REASON_LENGTH_MAX + " characters");
    }
    if (reason.codePoints().anyMatch(Character::isISOControl)) {
      throw new InvalidRequestException("reason may not contain control characters");
    }
    return reason;
  }

  private static Instant expiresAt(String text, Instant now) {
    if (text == null) {
      return null;
    }
    Instant expiresAt = instant(text);
    if (!expiresAt.isAfter(now)) {
      throw new InvalidRequestException("expiresAt must be in the future");
    }
    if (expiresAt.isAfter(EXPIRES_AT_MAX)) {
      throw new InvalidRequestException("expiresAt must be before the year 10000");
    }
    return expiresAt;
  }

  /**
   * An ISO-8601 instant: {@code 2030-01-01T00:00:00Z}, or with an offset such as {@code +10:00}.
   */
  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      throw new InvalidRequestException(
          "expiresAt must be an ISO-8601 instant, e.g. 2030-01-01T00:00:00Z");
    }
  }

  private static long digits(String value, String name) {
    if (!DIGITS.matcher(value).matches()) {
      throw new InvalidRequestException(name + " must be a non-negative integer");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(name + " is too large");
    }
  }
}
