package io.leadcredits.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.account.AccountView;
import io.leadcredits.lead.LeadView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Conversions between the baselines' rows and the domain's values: times, JSON columns. */
final class Rows {
  private static final ObjectMapper json = new ObjectMapper();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private Rows() {}

  /** PostgreSQL keeps microseconds; every instant the baselines store is cut to that first. */
  static Instant micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(micros(instant), ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static Instant fromMicros(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  static String json(Map<String, String> metadata) {
    try {
      return json.writeValueAsString(metadata);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings is always JSON", e);
    }
  }

  static Map<String, String> metadata(String text) {
    try {
      return text == null ? Map.of() : json.readValue(text, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("metadata column is not a JSON object: " + text, e);
    }
  }

  /** {@code [{"id","amount","expiresAt" µs}]}, as the SQL functions list live holds. */
  static List<AccountView.HoldView> holds(String text) {
    List<AccountView.HoldView> holds = new ArrayList<>();
    for (JsonNode h : tree(text)) {
      holds.add(
          new AccountView.HoldView(
              h.get("id").asText(),
              h.get("amount").asLong(),
              fromMicros(h.get("expiresAt").asLong())));
    }
    return holds;
  }

  /** {@code [{"tradieId","claimId","at" µs}]}, as the SQL functions list confirmed claims. */
  static List<LeadView.ClaimView> claims(String text) {
    List<LeadView.ClaimView> claims = new ArrayList<>();
    for (JsonNode c : tree(text)) {
      claims.add(
          new LeadView.ClaimView(
              c.get("tradieId").asText(),
              c.get("claimId").asText(),
              fromMicros(c.get("at").asLong())));
    }
    return claims;
  }

  private static JsonNode tree(String text) {
    try {
      return text == null ? json.createArrayNode() : json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not a JSON array: " + text, e);
    }
  }
}
