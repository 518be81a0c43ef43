package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.auth.Role;
import io.leadcredits.support.Await;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements over HTTP on the actor engine, over a history with every kind of entry (top-ups paid
 * and promotional, debits, holds captured, released and expired, a grant's expiry and a void, an
 * alert setting): for the whole history and for every way of cutting it in two, the opening balance
 * plus the entries' changes is the closing balance, the two halves chain and together are the
 * trail; the CSV carries the same entries with its metadata quoted; bad periods are 400.
 */
class StatementHttpTest {
  @TempDir static Path dataDir;
  private static RunningService service;
  private static String admin;
  private static final String A = "st-ann";
  private static final String REASON = "lead 7, \"hot\" job";

  @BeforeAll
  static void start() {
    service = new RunningService(dataDir);
    admin = service.admin();
    history();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  private static void history() {
    change("credits", "{\"amount\":500,\"transactionId\":\"st-c1\"}");
    String expiry = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS).toString();
    change(
        "credits",
        "{\"amount\":100,\"transactionId\":\"st-p1\",\"category\":\"promotional\","
            + "\"priority\":10,\"expiresAt\":\""
            + expiry
            + "\"}");
    change("debits", "{\"amount\":30,\"transactionId\":\"st-d1\",\"reason\":" + json(REASON) + "}");
    change("reservations", "{\"amount\":50,\"transactionId\":\"st-h1\"}");
    change("reservations/st-h1/capture", null);
    change("reservations", "{\"amount\":40,\"transactionId\":\"st-h2\"}");
    assertThat(service.send("DELETE", "/api/accounts/" + A + "/reservations/st-h2", admin, null))
        .extracting(Reply::status)
        .isEqualTo(200);
    change("credits", "{\"amount\":200,\"transactionId\":\"st-c2\"}");
    change("grants/st-c2/void", "{\"transactionId\":\"st-v1\",\"reason\":\"chargeback\"}");
    change("reservations", "{\"amount\":10,\"transactionId\":\"st-h3\",\"ttlSeconds\":1}");
    Await.until(
        Duration.ofSeconds(60),
        "the promotional grant's and the hold's expiries recorded",
        () -> types().contains("GRANT_EXPIRED") && types().contains("EXPIRE"));
    change("debits", "{\"amount\":5,\"transactionId\":\"st-d2\"}");
    assertThat(
            service
                .send("PUT", "/api/accounts/" + A + "/alerts", admin, "{\"lowBalanceThreshold\":9}")
                .status())
        .isEqualTo(200);
  }

  @Test
  void theWholeHistoryIsTheTrailAndAddsUp() {
    List<JsonNode> trail = trail();
    JsonNode s = statement(null, null);
    assertThat(s.get("accountId").asText()).isEqualTo(A);
    assertThat(s.get("from").asText()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(s.get("openingBalance").asLong()).isZero();
    JsonNode view = service.account(A).body();
    assertThat(s.get("closingBalance").asLong()).isEqualTo(view.get("balance").asLong());
    assertAddsUp(s);

    List<String> fromTrail = new ArrayList<>();
    Map<String, Long> totals = new HashMap<>();
    for (JsonNode t : trail) {
      if (!t.get("type").asText().equals("ALERTS_CHANGED")) {
        fromTrail.add(t.get("type").asText() + ":" + t.get("transactionId").asText());
        totals.merge(t.get("type").asText(), t.get("amount").asLong(), Long::sum);
      }
    }
    assertThat(trail.get(trail.size() - 1).get("type").asText()).isEqualTo("ALERTS_CHANGED");
    assertThat(keys(s)).isEqualTo(fromTrail);
    assertThat(fromTrail)
        .contains(
            "CREDIT:st-c1",
            "CREDIT:st-p1",
            "DEBIT:st-d1",
            "CAPTURE:st-h1",
            "RELEASE:st-h2",
            "GRANT_VOIDED:st-v1",
            "GRANT_EXPIRED:st-p1",
            "EXPIRE:st-h3");
    Map<String, Long> shown = new HashMap<>();
    s.get("totals").fields().forEachRemaining(f -> shown.put(f.getKey(), f.getValue().asLong()));
    assertThat(shown).isEqualTo(totals);
    JsonNode byCategory = s.get("byCategory");
    assertThat(byCategory.get("paid").asLong() + byCategory.get("promotional").asLong())
        .isEqualTo(s.get("closingBalance").asLong());
    assertThat(byCategory.get("promotional").asLong()).isZero(); // expired
  }

  @Test
  void everyCutSplitsTheHistoryIntoTwoStatementsThatChain() {
    List<String> whole = keys(statement(null, null));
    for (JsonNode t : trail()) {
      Instant at = Instant.parse(t.get("at").asText());
      for (Instant cut : List.of(at, at.plusMillis(1))) {
        JsonNode before = statement(null, cut);
        JsonNode after = statement(cut, null);
        assertAddsUp(before);
        assertAddsUp(after);
        assertThat(after.get("openingBalance").asLong())
            .as("cut at " + cut)
            .isEqualTo(before.get("closingBalance").asLong());
        List<String> both = new ArrayList<>(keys(before));
        both.addAll(keys(after));
        assertThat(both).as("cut at " + cut).isEqualTo(whole);
      }
    }
    JsonNode empty = statement(Instant.EPOCH.plusSeconds(1), Instant.EPOCH.plusSeconds(2));
    assertThat(empty.get("entries")).isEmpty();
    assertThat(empty.get("openingBalance").asLong()).isZero();
    assertThat(empty.get("closingBalance").asLong()).isZero();
  }

  @Test
  void asCsvTheSameEntriesWithTheirMetadataQuotedAndTheTotalsAfter() throws Exception {
    JsonNode s = statement(null, null);
    Reply csv =
        service.send(
            "GET", "/api/accounts/" + A + "/statement", admin, null, Map.of("Accept", "text/csv"));
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.raw().headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    List<List<String>> rows = parseCsv(csv.raw().body());
    assertThat(rows.get(0))
        .containsExactly(
            "version",
            "at",
            "transactionId",
            "type",
            "amount",
            "balanceChange",
            "balanceBefore",
            "balanceAfter",
            "reservedBefore",
            "reservedAfter",
            "grantId",
            "grants",
            "metadata");
    JsonNode entries = s.get("entries");
    for (int i = 0; i < entries.size(); i++) {
      JsonNode e = entries.get(i);
      List<String> row = rows.get(i + 1);
      assertThat(row).hasSize(13);
      assertThat(row.get(0)).isEqualTo(e.get("version").asText());
      assertThat(row.get(2)).isEqualTo(e.get("transactionId").asText());
      assertThat(row.get(3)).isEqualTo(e.get("type").asText());
      assertThat(Long.parseLong(row.get(5))).isEqualTo(e.get("balanceChange").asLong());
      if (e.get("transactionId").asText().equals("st-d1")) {
        JsonNode metadata = new ObjectMapper().readTree(row.get(12));
        assertThat(metadata.get("reason").asText()).isEqualTo(REASON);
        assertThat(row.get(11)).isEqualTo("st-p1:30");
      }
    }
    int blank = entries.size() + 1;
    assertThat(rows.get(blank)).containsExactly("");
    Map<String, String> totals = new HashMap<>();
    for (List<String> row : rows.subList(blank + 1, rows.size())) {
      assertThat(row).hasSize(3);
      assertThat(row.get(0)).isEqualTo("total");
      totals.put(row.get(1), row.get(2));
    }
    assertThat(totals.get("openingBalance")).isEqualTo("0");
    assertThat(totals.get("closingBalance")).isEqualTo(s.get("closingBalance").asText());
    assertThat(totals.get("CREDIT")).isEqualTo(s.get("totals").get("CREDIT").asText());
    assertThat(totals.get("paid")).isEqualTo(s.get("byCategory").get("paid").asText());
  }

  @Test
  void badPeriodsAre400TheOwnerMayReadAndAnAccountWithoutHistoryIs404() {
    for (String q :
        List.of(
            "from=yesterday",
            "to=2026-12-01",
            "from=2026-12-01T00:00:00",
            "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z",
            "to=2026-13-01T00:00:00Z")) {
      Reply r = service.send("GET", "/api/accounts/" + A + "/statement?" + q, admin, null);
      assertThat(r.status()).as(q).isEqualTo(400);
      assertThat(r.code()).as(q).isEqualTo("INVALID_REQUEST");
    }
    Reply offset =
        service.send(
            "GET",
            "/api/accounts/"
                + A
                + "/statement?from="
                + URLEncoder.encode("2026-01-01T10:00:00+10:00", StandardCharsets.UTF_8),
            service.token(A, Role.TRADIE),
            null);
    assertThat(offset.status()).isEqualTo(200);
    assertThat(offset.body().get("from").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(service.send("GET", "/api/accounts/st-nobody/statement", admin, null).code())
        .isEqualTo("NOT_FOUND");
  }

  /** opening + Σ balanceChange = closing, and each change is its entry's balances. */
  private static void assertAddsUp(JsonNode s) {
    long balance = s.get("openingBalance").asLong();
    for (JsonNode e : s.get("entries")) {
      assertThat(e.get("balanceBefore").asLong()).isEqualTo(balance);
      assertThat(e.get("balanceChange").asLong())
          .isEqualTo(e.get("balanceAfter").asLong() - e.get("balanceBefore").asLong());
      balance += e.get("balanceChange").asLong();
    }
    assertThat(balance).isEqualTo(s.get("closingBalance").asLong());
  }

  private static List<String> keys(JsonNode s) {
    List<String> keys = new ArrayList<>();
    s.get("entries")
        .forEach(e -> keys.add(e.get("type").asText() + ":" + e.get("transactionId").asText()));
    return keys;
  }

  private static JsonNode statement(Instant from, Instant to) {
    StringBuilder q = new StringBuilder("/api/accounts/" + A + "/statement");
    String sep = "?";
    if (from != null) {
      q.append(sep).append("from=").append(from);
      sep = "&";
    }
    if (to != null) {
      q.append(sep).append("to=").append(to);
    }
    Reply r = service.send("GET", q.toString(), admin, null);
    assertThat(r.status()).as(q + ": " + r.raw().body()).isEqualTo(200);
    return r.body();
  }

  private static List<JsonNode> trail() {
    Reply r = service.send("GET", "/api/accounts/" + A + "/transactions?limit=1000", admin, null);
    List<JsonNode> items = new ArrayList<>();
    r.body().get("items").forEach(items::add);
    return items;
  }

  private static List<String> types() {
    List<String> types = new ArrayList<>();
    trail().forEach(t -> types.add(t.get("type").asText()));
    return types;
  }

  private static void change(String what, String body) {
    Reply r = service.send("POST", "/api/accounts/" + A + "/" + what, admin, body);
    assertThat(r.status()).as(what + " " + body + ": " + r.raw().body()).isBetween(200, 201);
  }

  private static String json(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** RFC 4180, as a spreadsheet reads it: quoted fields may hold commas, quotes and CRLF. */
  private static List<List<String>> parseCsv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        field.append(c);
      }
    }
    assertThat(row).as("the last line ends with CRLF").isEmpty();
    assertThat(field.length()).isZero();
    return rows;
  }
}
