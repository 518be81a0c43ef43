package io.leadcredits.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.EngineKind;
import io.leadcredits.support.Await;
import io.leadcredits.support.RunningService;
import io.leadcredits.support.Scrape;
import io.leadcredits.testkit.EventFeedReader;
import io.leadcredits.testkit.Reply;
import io.leadcredits.testkit.WebhookReceiver;
import io.leadcredits.testkit.WebhookReceiver.Received;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed webhooks against the real service (embedded PostgreSQL, real HTTP both ways): every event
 * reaches each endpoint whose types accept it, with a signature an independent HMAC accepts; a
 * receiver that fails or is down gets the event once it answers; 410 disables the endpoint; retries
 * give up at the configured age; bad input is refused. Retries are fast here (200 ms, at most 1 s,
 * giving up after 10 s) so each case takes seconds.
 */
class WebhooksTest {
  private static final Duration SOON = Duration.ofSeconds(10);

  @TempDir static Path dataDir;
  private static RunningService service;
  private static String admin;

  @BeforeAll
  static void start() {
    service = new RunningService(dataDir, EngineKind.ACTORS, fastRetries());
    admin = service.admin();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  static Map<String, Object> fastRetries() {
    return Map.of(
        "leadcredits.webhooks.allow-private", true,
        "leadcredits.webhooks.retry-initial", "200ms",
        "leadcredits.webhooks.retry-max", "1s",
        "leadcredits.webhooks.give-up-after", "10s");
  }

  @Test
  void deliversEachEventOnceSignedWithTheEndpointsSecretAsTheFeedServesIt() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.accepting()) {
      JsonNode made = create(receiver.url(), null);
      String secret = made.get("secret").asText();
      assertThat(secret).startsWith("whsec_");
      assertThat(made.get("id").asText()).startsWith("wh_");
      assertThat(made.get("status").asText()).isEqualTo("ENABLED");
      String id = made.get("id").asText();
      Reply read = service.send("GET", "/api/webhooks/" + id, admin, null);
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.body().has("secret")).isFalse();
      assertThat(read.body().get("url").asText()).isEqualTo(receiver.url());

      long before = System.currentTimeMillis() / 1000;
      assertThat(service.credit("wh-sig", 50, "wh-sig-1").status()).isEqualTo(200);
      long acknowledged = System.nanoTime();
      Await.until(
          SOON, "the credit delivered", () -> receiver.about("accounts/wh-sig").size() == 1);
      Received r = receiver.about("accounts/wh-sig").get(0);
      // Out within about a second of being acknowledged (the feed's long poll, then a nudge).
      assertThat(Duration.ofNanos(r.receivedAtNanos() - acknowledged))
          .isLessThan(Duration.ofSeconds(2));
      assertThat(r.signedWith(secret)).as("signature %s", r.signature()).isTrue();
      assertThat(r.id()).isEqualTo(r.event().get("id").asText());
      assertThat(Long.parseLong(r.timestamp())).isBetween(before - 5, r.receivedAtSeconds() + 1);
      assertThat(r.event().get("type").asText()).isEqualTo("credit.credited");
      assertThat(r.event()).isEqualTo(feedEvent(r.id()));

      JsonNode delivery = deliveryOf(id, r.id());
      assertThat(delivery.get("status").asText()).isEqualTo("DELIVERED");
      assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
      assertThat(delivery.get("lastStatusCode").asInt()).isEqualTo(200);
      assertThat(delivery.get("nextAttemptAt").isNull()).isTrue();

      // A rotated secret signs from then on; the old one no longer does.
      Reply rotated = service.send("POST", "/api/webhooks/" + id + "/rotate-secret", admin, null);
      assertThat(rotated.status()).isEqualTo(200);
      String newSecret = rotated.body().get("secret").asText();
      assertThat(newSecret).startsWith("whsec_").isNotEqualTo(secret);
      assertThat(service.credit("wh-sig", 50, "wh-sig-2").status()).isEqualTo(200);
      Await.until(SOON, "the second credit", () -> receiver.about("accounts/wh-sig").size() == 2);
      Received second = receiver.about("accounts/wh-sig").get(1);
      assertThat(second.signedWith(newSecret)).isTrue();
      assertThat(second.signedWith(secret)).isFalse();
      // The independent check is not a rubber stamp: a changed body fails it.
      byte[] tampered = second.body().clone();
      tampered[tampered.length - 2] ^= 1;
      assertThat(
              new Received(
                      second.id(),
                      second.timestamp(),
                      second.signature(),
                      tampered,
                      second.receivedAtSeconds(),
                      second.receivedAtNanos())
                  .signedWith(newSecret))
          .isFalse();
      delete(id);
    }
  }

  @Test
  void aReceiverFailingItsFirstAttemptsGetsTheEventAfterRetries() {
    try (WebhookReceiver receiver =
        new WebhookReceiver(0, (eventId, before) -> before < 2 ? 500 : 200)) {
      String id = create(receiver.url(), "[\"credit.\"]").get("id").asText();
      assertThat(service.credit("wh-retry", 10, "wh-retry-1").status()).isEqualTo(200);
      Await.until(
          SOON,
          "three attempts of the credit",
          () -> receiver.about("accounts/wh-retry").size() == 3);
      List<Received> attempts = receiver.about("accounts/wh-retry");
      String eventId = attempts.get(0).id();
      for (Received a : attempts) {
        assertThat(a.id()).isEqualTo(eventId);
        assertThat(a.body()).isEqualTo(attempts.get(0).body());
      }
      Await.until(
          SOON,
          "the delivery recorded as delivered",
          () -> deliveryOf(id, eventId).get("status").asText().equals("DELIVERED"));
      JsonNode delivery = deliveryOf(id, eventId);
      assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
      assertThat(delivery.get("lastStatusCode").asInt()).isEqualTo(200);
      delete(id);
    }
  }

  @Test
  void aReceiverThatIsDownGetsEverythingOnceItIsBack() {
    int port;
    try (WebhookReceiver placeholder = WebhookReceiver.accepting()) {
      port = placeholder.port();
    }
    String url = "http://127.0.0.1:" + port + "/hooks";
    String id = create(url, "[\"credit.credited\"]").get("id").asText();
    for (int i = 1; i <= 3; i++) {
      assertThat(service.credit("wh-down", 10, "wh-down-" + i).status()).isEqualTo(200);
    }
    Await.until(
        SOON,
        "each credit tried at least twice without an answer",
        () -> {
          List<JsonNode> mine = deliveries(id, "wh-down");
          return mine.size() == 3
              && mine.stream()
                  .allMatch(
                      d -> d.get("attempts").asInt() >= 2 && d.get("lastStatusCode").isNull());
        });
    try (WebhookReceiver back = new WebhookReceiver(port, (eventId, before) -> 200)) {
      Await.until(
          SOON,
          "every credit delivered once the receiver is back",
          () -> distinctIds(back.about("accounts/wh-down")).size() == 3);
      Await.until(
          SOON,
          "every delivery recorded as delivered",
          () ->
              deliveries(id, "wh-down").stream()
                  .allMatch(d -> d.get("status").asText().equals("DELIVERED")));
    }
    delete(id);
  }

  @Test
  void aReceiverAnswering410DisablesItsEndpoint() {
    try (WebhookReceiver gone = new WebhookReceiver(0, (eventId, before) -> 410);
        WebhookReceiver witness = WebhookReceiver.accepting()) {
      String goneId = create(gone.url(), "[\"credit.\"]").get("id").asText();
      String witnessId = create(witness.url(), "[\"credit.\"]").get("id").asText();
      assertThat(service.credit("wh-gone", 10, "wh-gone-1").status()).isEqualTo(200);
      Await.until(
          SOON,
          "the endpoint disabled",
          () ->
              service
                  .send("GET", "/api/webhooks/" + goneId, admin, null)
                  .body()
                  .get("status")
                  .asText()
                  .equals("DISABLED"));
      JsonNode failed = deliveries(goneId, "wh-gone").get(0);
      assertThat(failed.get("status").asText()).isEqualTo("FAILED");
      assertThat(failed.get("lastStatusCode").asInt()).isEqualTo(410);
      assertThat(failed.get("attempts").asInt()).isEqualTo(1);

      assertThat(service.credit("wh-gone", 10, "wh-gone-2").status()).isEqualTo(200);
      Await.until(
          SOON, "the witness got both", () -> witness.about("accounts/wh-gone").size() == 2);
      assertThat(gone.about("accounts/wh-gone")).hasSize(1);
      assertThat(deliveries(goneId, "wh-gone")).hasSize(1);
      delete(goneId);
      delete(witnessId);
    }
  }

  @Test
  void anEndpointDisabledByA410IsEnabledAgainByTheAdminAndGetsEventsAgain() {
    java.util.concurrent.atomic.AtomicBoolean gone =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    try (WebhookReceiver receiver =
        new WebhookReceiver(0, (eventId, before) -> gone.get() ? 410 : 200)) {
      String id = create(receiver.url(), "[\"credit.\"]").get("id").asText();
      assertThat(service.credit("wh-enable", 10, "wh-enable-1").status()).isEqualTo(200);
      Await.until(SOON, "the endpoint disabled", () -> status(id).equals("DISABLED"));
      gone.set(false);

      assertThat(service.send("POST", "/api/webhooks/wh_nobody/enable", admin, null).status())
          .isEqualTo(404);
      assertThat(
              service
                  .send(
                      "POST",
                      "/api/webhooks/" + id + "/enable",
                      service.token("t", io.leadcredits.auth.Role.TRADIE),
                      null)
                  .status())
          .isEqualTo(403);
      Reply enabled = service.send("POST", "/api/webhooks/" + id + "/enable", admin, null);
      assertThat(enabled.status()).isEqualTo(200);
      assertThat(enabled.body().get("status").asText()).isEqualTo("ENABLED");
      assertThat(enabled.body().has("secret")).isFalse();
      assertThat(status(id)).isEqualTo("ENABLED");

      assertThat(service.credit("wh-enable", 10, "wh-enable-2").status()).isEqualTo(200);
      Await.until(
          SOON,
          "the credit after enabling delivered",
          () ->
              receiver.about("accounts/wh-enable").stream()
                  .anyMatch(
                      r ->
                          r.event()
                              .get("data")
                              .get("transactionId")
                              .asText()
                              .equals("wh-enable-2")));
      delete(id);
    }
  }

  private static String status(String id) {
    return service.send("GET", "/api/webhooks/" + id, admin, null).body().get("status").asText();
  }

  @Test
  void eachEndpointGetsOnlyTheTypesItAskedFor() {
    try (WebhookReceiver leads = WebhookReceiver.accepting();
        WebhookReceiver debits = WebhookReceiver.accepting();
        WebhookReceiver all = WebhookReceiver.accepting()) {
      String a = create(leads.url(), "[\"lead.\"]").get("id").asText();
      String b = create(debits.url(), "[\"credit.debited\"]").get("id").asText();
      String c = create(all.url(), null).get("id").asText();
      assertThat(service.createLead("wh-typ-lead", 5, 3).status()).isEqualTo(201);
      assertThat(service.credit("wh-typ", 20, "wh-typ-1").status()).isEqualTo(200);
      assertThat(
              service
                  .send(
                      "POST",
                      "/api/accounts/wh-typ/debits",
                      admin,
                      "{\"amount\":5,\"transactionId\":\"wh-typ-2\"}")
                  .status())
          .isEqualTo(200);
      Await.until(
          SOON,
          "the endpoint for every type got all three",
          () ->
              all.about("accounts/wh-typ").size() == 2
                  && all.about("leads/wh-typ-lead").size() == 1);
      Await.until(
          SOON,
          "the filtered endpoints got theirs",
          () ->
              leads.about("leads/wh-typ-lead").size() == 1
                  && debits.about("accounts/wh-typ").size() == 1);
      assertThat(types(leads.received())).containsOnly("lead.created");
      assertThat(types(debits.received())).containsOnly("credit.debited");
      assertThat(leads.about("accounts/wh-typ")).isEmpty();
      assertThat(debits.about("leads/wh-typ-lead")).isEmpty();
      delete(a);
      delete(b);
      delete(c);
    }
  }

  @Test
  void aDeliveryStillFailingAtTheGiveUpAgeIsFailed() {
    try (WebhookReceiver broken = new WebhookReceiver(0, (eventId, before) -> 500)) {
      String id = create(broken.url(), "[\"credit.credited\"]").get("id").asText();
      assertThat(service.credit("wh-giveup", 10, "wh-giveup-1").status()).isEqualTo(200);
      Await.until(
          Duration.ofSeconds(30),
          "the delivery given up",
          () -> {
            List<JsonNode> mine = deliveries(id, "wh-giveup");
            return mine.size() == 1 && mine.get(0).get("status").asText().equals("FAILED");
          });
      JsonNode failed = deliveries(id, "wh-giveup").get(0);
      assertThat(failed.get("attempts").asInt()).isGreaterThan(2);
      assertThat(failed.get("lastStatusCode").asInt()).isEqualTo(500);
      assertThat(failed.get("nextAttemptAt").isNull()).isTrue();
      int attempts = broken.about("accounts/wh-giveup").size();
      assertThat(attempts).isEqualTo(failed.get("attempts").asInt());
      Scrape metrics = Scrape.parse(service.send("GET", "/metrics", null, null).raw().body());
      assertThat(metrics.count("webhook_deliveries_total", "result", "given_up")).isPositive();
      assertThat(metrics.count("webhook_deliveries_total", "result", "retrying"))
          .isGreaterThanOrEqualTo(attempts - 1);
      assertThat(metrics.count("leadcredits_events_published_total", "sink", "webhooks"))
          .isPositive();
      assertThat(metrics.all("leadcredits_event_sink_lag_seconds")).isNotEmpty();
      delete(id);
    }
  }

  @Test
  void aDeletedEndpointIsGoneAndGetsNothingMore() {
    try (WebhookReceiver receiver = WebhookReceiver.accepting();
        WebhookReceiver witness = WebhookReceiver.accepting()) {
      String id = create(receiver.url(), "[\"credit.\"]").get("id").asText();
      String witnessId = create(witness.url(), "[\"credit.\"]").get("id").asText();
      assertThat(service.send("DELETE", "/api/webhooks/" + id, admin, null).status())
          .isEqualTo(204);
      assertThat(service.send("GET", "/api/webhooks/" + id, admin, null).code())
          .isEqualTo("NOT_FOUND");
      assertThat(service.send("DELETE", "/api/webhooks/" + id, admin, null).status())
          .isEqualTo(404);
      assertThat(service.send("GET", "/api/webhooks/" + id + "/deliveries", admin, null).status())
          .isEqualTo(404);
      JsonNode listed = service.send("GET", "/api/webhooks", admin, null).body().get("items");
      List<String> ids = new ArrayList<>();
      listed.forEach(e -> ids.add(e.get("id").asText()));
      assertThat(ids).contains(witnessId).doesNotContain(id);
      listed.forEach(e -> assertThat(e.has("secret")).isFalse());

      assertThat(service.credit("wh-deleted", 10, "wh-deleted-1").status()).isEqualTo(200);
      Await.until(
          SOON, "the witness got it", () -> witness.about("accounts/wh-deleted").size() == 1);
      assertThat(receiver.received()).isEmpty();
      delete(witnessId);
    }
  }

  @Test
  void badRequestsAre400AndUnknownEndpoints404() {
    for (String body :
        List.of(
            "{}",
            "{\"url\":5}",
            "{\"url\":\"ftp://example.com/hooks\"}",
            "{\"url\":\"not a url\"}",
            "{\"url\":\"/relative\"}",
            "{\"url\":\"http://user:pw@example.com/\"}",
            "{\"url\":\"https://example.com/\",\"types\":[\"credit.nope\"]}",
            "{\"url\":\"https://example.com/\",\"types\":\"credit.\"}",
            "{\"url\":\"https://example.com/\",\"types\":[5]}",
            "{\"url\":\"https://example.com/\",\"description\":\"" + "x".repeat(501) + "\"}",
            "{\"url\":\"https://example.com/\",\"extra\":1}",
            "[]",
            "nonsense")) {
      Reply reply = service.send("POST", "/api/webhooks", admin, body);
      assertThat(reply.status()).as(body).isEqualTo(400);
      assertThat(reply.code()).as(body).isEqualTo("INVALID_REQUEST");
    }
    try (WebhookReceiver receiver = WebhookReceiver.accepting()) {
      String id = create(receiver.url(), null).get("id").asText();
      for (String limit : List.of("0", "1001", "-1", "x")) {
        Reply reply =
            service.send("GET", "/api/webhooks/" + id + "/deliveries?limit=" + limit, admin, null);
        assertThat(reply.status()).as(limit).isEqualTo(400);
      }
      delete(id);
    }
    assertThat(service.send("GET", "/api/webhooks/wh_nope", admin, null).status()).isEqualTo(404);
    assertThat(service.send("POST", "/api/webhooks/wh_nope/rotate-secret", admin, null).status())
        .isEqualTo(404);
    assertThat(service.send("GET", "/api/webhooks/a%20b", admin, null).status()).isEqualTo(400);
  }

  // ---- helpers ------------------------------------------------------------------------------

  static JsonNode create(String url, String types) {
    String body = "{\"url\":\"" + url + "\"" + (types == null ? "" : ",\"types\":" + types) + "}";
    Reply reply = service.send("POST", "/api/webhooks", admin, body);
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
    return reply.body();
  }

  private static void delete(String id) {
    assertThat(service.send("DELETE", "/api/webhooks/" + id, admin, null).status()).isEqualTo(204);
  }

  /** The endpoint's deliveries of events about {@code account}, read through the feed's ids. */
  private static List<JsonNode> deliveries(String id, String account) {
    Reply reply =
        service.send("GET", "/api/webhooks/" + id + "/deliveries?limit=1000", admin, null);
    assertThat(reply.status()).isEqualTo(200);
    Set<String> ofAccount = new HashSet<>();
    for (JsonNode e : feed()) {
      if (e.get("subject").asText().equals("accounts/" + account)) {
        ofAccount.add(e.get("id").asText());
      }
    }
    List<JsonNode> mine = new ArrayList<>();
    reply
        .body()
        .get("items")
        .forEach(
            d -> {
              if (ofAccount.contains(d.get("eventId").asText())) {
                mine.add(d);
              }
            });
    return mine;
  }

  private static JsonNode deliveryOf(String id, String eventId) {
    Reply reply =
        service.send("GET", "/api/webhooks/" + id + "/deliveries?limit=1000", admin, null);
    for (JsonNode d : reply.body().get("items")) {
      if (d.get("eventId").asText().equals(eventId)) {
        return d;
      }
    }
    throw new AssertionError("no delivery of " + eventId + " to " + id);
  }

  private static List<JsonNode> feed() {
    return EventFeedReader.all(path -> service.send("GET", path, admin, null).body());
  }

  private static JsonNode feedEvent(String eventId) {
    for (JsonNode e : feed()) {
      if (e.get("id").asText().equals(eventId)) {
        return e;
      }
    }
    throw new AssertionError("no event " + eventId + " in the feed");
  }

  private static Set<String> distinctIds(List<Received> received) {
    Set<String> ids = new HashSet<>();
    received.forEach(r -> ids.add(r.id()));
    return ids;
  }

  private static List<String> types(List<Received> received) {
    List<String> types = new ArrayList<>();
    received.forEach(r -> types.add(r.event().get("type").asText()));
    return types;
  }
}
