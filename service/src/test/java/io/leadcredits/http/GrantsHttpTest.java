package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.auth.Role;
import io.leadcredits.support.Await;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Reply;
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
 * Grants over HTTP on the actor engine and its PostgreSQL: a top-up's grant terms and its answer,
 * the account's live grants and its balance by category, the spending order in the trail, voids,
 * refusals with stable codes that change nothing, and a grant's expiry recorded by the durable
 * wake-up without anyone touching the account, also across a restart.
 */
class GrantsHttpTest {
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
  void aTopUpIsAGrantTheAccountListsAndDebitsSpendInOrder() {
    String a = "g-ann";
    Reply paid =
        post(
            "/api/accounts/" + a + "/credits",
            "{\"amount\":100,\"transactionId\":\"g-pack\",\"price\":{\"amountMinor\":15000,"
                + "\"currency\":\"AUD\"}}");
    assertThat(paid.status()).isEqualTo(200);
    assertThat(paid.body().get("grantId").asText()).isEqualTo("g-pack");
    String expiry =
        Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    Reply promo =
        post(
            "/api/accounts/" + a + "/credits",
            "{\"amount\":20,\"transactionId\":\"g-bonus\",\"category\":\"promotional\","
                + "\"expiresAt\":\""
                + expiry
                + "\",\"reason\":\"sign-up bonus\"}");
    assertThat(promo.status()).isEqualTo(200);
    assertThat(promo.body().get("balance").asLong()).isEqualTo(120);

    JsonNode view = service.account(a).body();
    assertThat(view.get("byCategory").get("paid").asLong()).isEqualTo(100);
    assertThat(view.get("byCategory").get("promotional").asLong()).isEqualTo(20);
    JsonNode grants = view.get("grants");
    assertThat(grants).hasSize(2);
    JsonNode first = grants.get(0); // the promotional one expires: it is spent first
    assertThat(first.get("grantId").asText()).isEqualTo("g-bonus");
    assertThat(first.get("category").asText()).isEqualTo("promotional");
    assertThat(first.get("granted").asLong()).isEqualTo(20);
    assertThat(first.get("remaining").asLong()).isEqualTo(20);
    assertThat(first.get("earmarked").asLong()).isZero();
    assertThat(first.get("expiresAt").asText()).isEqualTo(expiry);
    assertThat(first.get("priority").asInt()).isEqualTo(50);
    assertThat(first.get("createdAt").isTextual()).isTrue();
    assertThat(grants.get(1).get("expiresAt").isNull()).isTrue();

    assertThat(
            post("/api/accounts/" + a + "/debits", "{\"amount\":30,\"transactionId\":\"g-d\"}")
                .status())
        .isEqualTo(200);
    assertThat(
            post("/api/accounts/" + a + "/reservations", "{\"amount\":5,\"transactionId\":\"g-h\"}")
                .status())
        .isEqualTo(201);
    assertThat(post("/api/accounts/" + a + "/reservations/g-h/capture", null).status())
        .isEqualTo(200);
    JsonNode items = trail(a);
    JsonNode debit = items.get(2);
    assertThat(debit.get("type").asText()).isEqualTo("DEBIT");
    assertThat(debit.get("grants").toString())
        .isEqualTo(
            "[{\"grantId\":\"g-bonus\",\"amount\":20},{\"grantId\":\"g-pack\",\"amount\":10}]");
    assertThat(items.get(0).get("grantId").asText()).isEqualTo("g-pack");
    assertThat(items.get(4).get("type").asText()).isEqualTo("CAPTURE");
    assertThat(items.get(4).get("grants").toString())
        .isEqualTo("[{\"grantId\":\"g-pack\",\"amount\":5}]");
    view = service.account(a).body();
    assertThat(view.get("grants")).hasSize(1); // the spent grant is no longer listed
    assertThat(view.get("byCategory").get("promotional").asLong()).isZero();
    assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
  }

  @Test
  void badGrantTermsAreRefusedWithStableCodesAndChangeNothing() {
    String a = "g-bad";
    assertThat(service.credit(a, 10, "g-bad-0").status()).isEqualTo(200);
    long version = service.account(a).body().get("version").asLong();
    String past = Instant.now().minusSeconds(60).toString();
    String tooFar = Instant.now().plus(Duration.ofDays(3_700)).toString();
    List<String> bodies =
        List.of(
            "{\"amount\":5,\"transactionId\":\"g-bad-1\",\"category\":\"gift\"}",
            "{\"amount\":5,\"transactionId\":\"g-bad-2\",\"priority\":101}",
            "{\"amount\":5,\"transactionId\":\"g-bad-3\",\"priority\":-1}",
            "{\"amount\":5,\"transactionId\":\"g-bad-4\",\"expiresAt\":\"" + past + "\"}",
            "{\"amount\":5,\"transactionId\":\"g-bad-5\",\"expiresAt\":\"" + tooFar + "\"}",
            "{\"amount\":5,\"transactionId\":\"g-bad-6\",\"expiresAt\":\"tomorrow\"}",
            "{\"amount\":5,\"transactionId\":\"g-bad-7\",\"category\":\"promotional\","
                + "\"price\":{\"amountMinor\":1,\"currency\":\"AUD\"}}",
            "{\"amount\":5,\"transactionId\":\"g-bad-8\",\"price\":{\"amountMinor\":1,"
                + "\"currency\":\"aud\"}}",
            "{\"amount\":5,\"transactionId\":\"g-bad-9\",\"price\":{\"amountMinor\":-1,"
                + "\"currency\":\"AUD\"}}",
            "{\"amount\":5,\"transactionId\":\"g-bad-10\",\"priority\":\"high\"}");
    for (String body : bodies) {
      Reply r = post("/api/accounts/" + a + "/credits", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.body().get("code").asText()).as(body).isEqualTo("INVALID_REQUEST");
    }
    // The same id with other grant terms is a conflict.
    Reply conflict =
        post(
            "/api/accounts/" + a + "/credits",
            "{\"amount\":10,\"transactionId\":\"g-bad-0\",\"priority\":3}");
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.body().get("code").asText()).isEqualTo("IDEMPOTENCY_CONFLICT");
    assertThat(service.account(a).body().get("version").asLong()).isEqualTo(version);
  }

  @Test
  void aVoidTakesAGrantsRemainderOnceAndOnlyAnAdminMayVoid() {
    String a = "g-void";
    assertThat(service.credit(a, 50, "g-keep").status()).isEqualTo(200);
    assertThat(service.credit(a, 40, "g-charged-back").status()).isEqualTo(200);
    String path = "/api/accounts/" + a + "/grants/g-charged-back/void";
    String tradie = service.token(a, Role.TRADIE);
    assertThat(service.send("POST", path, tradie, "{\"transactionId\":\"g-v0\"}").status())
        .isEqualTo(403);
    Reply voided = post(path, "{\"transactionId\":\"g-v1\",\"reason\":\"chargeback\"}");
    assertThat(voided.status()).isEqualTo(200);
    assertThat(voided.body().get("grantId").asText()).isEqualTo("g-charged-back");
    assertThat(voided.body().get("balance").asLong()).isEqualTo(50);
    Reply again = post(path, "{\"transactionId\":\"g-v1\",\"reason\":\"chargeback\"}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
    Reply twice = post(path, "{\"transactionId\":\"g-v2\",\"reason\":\"chargeback\"}");
    assertThat(twice.status()).isEqualTo(404);
    assertThat(twice.body().get("code").asText()).isEqualTo("NOT_FOUND");
    Reply otherPayload = post(path, "{\"transactionId\":\"g-v1\",\"reason\":\"other\"}");
    assertThat(otherPayload.status()).isEqualTo(409);
    Reply badId =
        post("/api/accounts/" + a + "/grants/no%20such/void", "{\"transactionId\":\"g-v3\"}");
    assertThat(badId.status()).isEqualTo(400);
    assertThat(service.account(a).body().get("balance").asLong()).isEqualTo(50);
    JsonNode last = trail(a).get(2);
    assertThat(last.get("type").asText()).isEqualTo("GRANT_VOIDED");
    assertThat(last.get("grantId").asText()).isEqualTo("g-charged-back");
    assertThat(last.get("amount").asLong()).isEqualTo(40);
    assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
  }

  /**
   * Nobody touches the account after the top-up: the durable wake-up records the expiry. Then the
   * same across a restart, with the expiry passing while the service is down.
   */
  @Test
  void aGrantExpiresOnTimeThroughTheDurableWakeUpAlsoAcrossARestart() {
    String a = "g-expiring";
    assertThat(service.credit(a, 10, "g-paid").status()).isEqualTo(200);
    Instant expiry = Instant.now().plusSeconds(2);
    Reply promo =
        post(
            "/api/accounts/" + a + "/credits",
            "{\"amount\":25,\"transactionId\":\"g-soon\",\"category\":\"promotional\","
                + "\"expiresAt\":\""
                + expiry
                + "\"}");
    assertThat(promo.status()).isEqualTo(200);
    Await.until(
        Duration.ofSeconds(30),
        "GRANT_EXPIRED of g-soon recorded",
        () -> types(a).contains("GRANT_EXPIRED"));
    JsonNode expired = trail(a).get(2);
    assertThat(expired.get("grantId").asText()).isEqualTo("g-soon");
    assertThat(expired.get("amount").asLong()).isEqualTo(25);
    assertThat(expired.get("balanceBefore").asLong()).isEqualTo(35);
    assertThat(expired.get("balanceAfter").asLong()).isEqualTo(10);
    assertThat(Instant.parse(expired.get("at").asText())).isEqualTo(expiry);
    assertThat(service.account(a).body().get("available").asLong()).isEqualTo(10);
    JsonNode events =
        service.send("GET", "/api/events?type=credit.grant_expired&limit=1000", admin, null).body();
    assertThat(events.get("items").toString()).contains("g-soon");

    String b = "g-across-restart";
    Instant later = Instant.now().plusSeconds(3);
    assertThat(
            post(
                    "/api/accounts/" + b + "/credits",
                    "{\"amount\":7,\"transactionId\":\"g-later\",\"category\":\"promotional\","
                        + "\"expiresAt\":\""
                        + later
                        + "\"}")
                .status())
        .isEqualTo(200);
    service.stop();
    Await.until(Duration.ofSeconds(30), "the expiry passed", () -> Instant.now().isAfter(later));
    service.start();
    admin = service.admin();
    Await.until(
        Duration.ofSeconds(30),
        "GRANT_EXPIRED of g-later recorded after the restart",
        () -> types(b).contains("GRANT_EXPIRED"));
    assertThat(types(b)).containsExactly("CREDIT", "GRANT_EXPIRED");
    assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
  }

  private static Reply post(String path, String body) {
    return service.send("POST", path, admin, body);
  }

  private static JsonNode trail(String account) {
    return service
        .send("GET", "/api/accounts/" + account + "/transactions?limit=1000", admin, null)
        .body()
        .get("items");
  }

  private static List<String> types(String account) {
    List<String> types = new ArrayList<>();
    trail(account).forEach(i -> types.add(i.get("type").asText()));
    return types;
  }
}
