package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Low-balance alerts over HTTP on the actor engine: the owner sets the threshold, bad settings are
 * 400 and change nothing, and the feed announces {@code balance.low} exactly once per fall of
 * {@code available} below it (by a debit, a reservation, a grant's expiry and a void), none while
 * it stays below, again after a top-up brought it back.
 */
class AlertsHttpTest {
  @TempDir static Path dataDir;
  private static RunningService service;
  private static String admin;

  @BeforeAll
  static void start() {
    service = new RunningService(dataDir);
    admin = service.admin();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void theOwnerSetsTheThresholdAndBadSettingsChangeNothing() {
    String a = "al-set";
    String owner = service.token(a, Role.TRADIE);
    assertThat(put(a, owner, "{\"lowBalanceThreshold\":10}").code())
        .as("an account never written")
        .isEqualTo("NOT_FOUND");
    assertThat(service.credit(a, 100, "al-set-c1").status()).isEqualTo(200);
    assertThat(get(a, owner).body().get("lowBalanceThreshold").asLong()).isZero();

    Reply set = put(a, owner, "{\"lowBalanceThreshold\":40}");
    assertThat(set.status()).isEqualTo(200);
    assertThat(set.body().get("accountId").asText()).isEqualTo(a);
    assertThat(set.body().get("lowBalanceThreshold").asLong()).isEqualTo(40);
    assertThat(set.replayed()).isFalse();
    Reply again = put(a, admin, "{\"lowBalanceThreshold\":40}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.replayed()).isTrue();
    long version = service.account(a).body().get("version").asLong();

    for (String bad :
        List.of(
            "{\"lowBalanceThreshold\":-1}",
            "{\"lowBalanceThreshold\":1.5}",
            "{\"lowBalanceThreshold\":\"50\"}",
            "{\"lowBalanceThreshold\":null}",
            "{\"lowBalanceThreshold\":1000000000001}",
            "{\"lowBalanceThreshold\":99999999999999999999}",
            "{}",
            "{\"lowBalanceThreshold\":5,\"extra\":1}",
            "[5]",
            "not json")) {
      Reply refused = put(a, owner, bad);
      assertThat(refused.status()).as(bad).isEqualTo(400);
      assertThat(refused.code()).as(bad).isEqualTo("INVALID_REQUEST");
    }
    assertThat(get(a, owner).body().get("lowBalanceThreshold").asLong()).isEqualTo(40);
    JsonNode view = service.account(a).body();
    assertThat(view.get("version").asLong()).isEqualTo(version);
    assertThat(view.get("lowBalanceThreshold").asLong()).isEqualTo(40);
    assertThat(view.get("balance").asLong()).isEqualTo(100);
    assertThat(ofAccount(a, "account.alerts_changed")).hasSize(1);
  }

  @Test
  void eachFallBelowTheThresholdIsAnnouncedOnceAndATopUpArmsItAgain() {
    String a = "al-ann";
    assertThat(service.credit(a, 200, "al-c1").status()).isEqualTo(200);
    assertThat(put(a, service.token(a, Role.TRADIE), "{\"lowBalanceThreshold\":100}").status())
        .isEqualTo(200);

    change("debits", a, "{\"amount\":50,\"transactionId\":\"al-d1\"}"); // 150: above
    assertThat(lows(a)).isEmpty();
    change("debits", a, "{\"amount\":60,\"transactionId\":\"al-d2\"}"); // 90: the fall
    assertThat(lows(a)).containsExactly("credit.debited 90/100");
    change("debits", a, "{\"amount\":10,\"transactionId\":\"al-d3\"}"); // 80: still below
    change("reservations", a, "{\"amount\":20,\"transactionId\":\"al-h1\"}"); // 60
    assertThat(lows(a)).hasSize(1);
    // A repeated debit changes nothing and announces nothing.
    change("debits", a, "{\"amount\":60,\"transactionId\":\"al-d2\"}");
    assertThat(lows(a)).hasSize(1);

    change("credits", a, "{\"amount\":100,\"transactionId\":\"al-c2\"}"); // 160: armed again
    change("reservations", a, "{\"amount\":70,\"transactionId\":\"al-h2\"}"); // 90: a fall
    assertThat(lows(a)).containsExactly("credit.debited 90/100", "credit.reserved 90/100");
    assertThat(service.send("DELETE", "/api/accounts/" + a + "/reservations/al-h2", admin, null))
        .extracting(Reply::status)
        .isEqualTo(200);
    assertThat(service.send("DELETE", "/api/accounts/" + a + "/reservations/al-h1", admin, null))
        .extracting(Reply::status)
        .isEqualTo(200); // 180, all paid

    // A promotional grant spent last; its expiry takes available below the threshold.
    String expiry = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS).toString();
    change(
        "credits",
        a,
        "{\"amount\":50,\"transactionId\":\"al-p1\",\"category\":\"promotional\",\"priority\":90,"
            + "\"expiresAt\":\""
            + expiry
            + "\"}"); // 230
    change("debits", a, "{\"amount\":100,\"transactionId\":\"al-d4\"}"); // 130, from paid
    assertThat(lows(a)).hasSize(2);
    Await.until(
        Duration.ofSeconds(60),
        "the promotional grant's expiry recorded",
        () -> service.account(a).body().get("version").asLong() >= 13);
    assertThat(service.account(a).body().get("available").asLong()).isEqualTo(80);
    assertThat(lows(a))
        .containsExactly(
            "credit.debited 90/100", "credit.reserved 90/100", "credit.grant_expired 80/100");

    change("credits", a, "{\"amount\":100,\"transactionId\":\"al-c3\"}"); // 180: armed
    change("grants/al-c3/void", a, "{\"transactionId\":\"al-v1\",\"reason\":\"chargeback\"}");
    assertThat(lows(a))
        .containsExactly(
            "credit.debited 90/100",
            "credit.reserved 90/100",
            "credit.grant_expired 80/100",
            "credit.grant_voided 80/100");

    // Off: no more alerts.
    assertThat(put(a, admin, "{\"lowBalanceThreshold\":0}").status()).isEqualTo(200);
    change("credits", a, "{\"amount\":100,\"transactionId\":\"al-c4\"}");
    change("debits", a, "{\"amount\":150,\"transactionId\":\"al-d5\"}");
    assertThat(lows(a)).hasSize(4);
    assertThat(ofAccount(a, "account.alerts_changed")).hasSize(2);
    assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
  }

  /** Each balance.low of the account as "the change before it available/threshold". */
  private static List<String> lows(String account) {
    List<JsonNode> events = ofAccount(account, null);
    List<String> lows = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      if (!e.get("type").asText().equals("balance.low")) {
        continue;
      }
      JsonNode before = events.get(i - 1);
      assertThat(before.get("sequenceNr").asLong()).isEqualTo(e.get("sequenceNr").asLong());
      JsonNode data = e.get("data");
      assertThat(data.get("accountId").asText()).isEqualTo(account);
      assertThat(data.get("available").asLong())
          .isEqualTo(
              before.get("data").get("balanceAfter").asLong()
                  - before.get("data").get("reservedAfter").asLong());
      lows.add(
          before.get("type").asText()
              + " "
              + data.get("available").asLong()
              + "/"
              + data.get("threshold").asLong());
    }
    return lows;
  }

  /** The account's events in the feed, of {@code type} (null: all), in feed order. */
  private static List<JsonNode> ofAccount(String account, String type) {
    List<JsonNode> mine = new ArrayList<>();
    String after = null;
    while (true) {
      String q = "/api/events?limit=500" + (type == null ? "" : "&type=" + type);
      if (after != null) {
        q += "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8);
      }
      Reply r = service.send("GET", q, admin, null);
      assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
      JsonNode items = r.body().get("items");
      if (items.isEmpty()) {
        return mine;
      }
      for (JsonNode e : items) {
        if (e.get("subject").asText().equals("accounts/" + account)) {
          mine.add(e);
        }
      }
      after = r.body().get("next").asText();
    }
  }

  private static void change(String what, String account, String body) {
    Reply r = service.send("POST", "/api/accounts/" + account + "/" + what, admin, body);
    assertThat(r.status()).as(what + " " + body + ": " + r.raw().body()).isBetween(200, 201);
  }

  private static Reply put(String account, String token, String body) {
    return service.send("PUT", "/api/accounts/" + account + "/alerts", token, body);
  }

  private static Reply get(String account, String token) {
    return service.send("GET", "/api/accounts/" + account + "/alerts", token, null);
  }
}
