package io.leadcredits.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.auth.Role;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event feed over HTTP, on the actor engine and its PostgreSQL: every acknowledged change is
 * one event with the fields other systems rely on; paging by cursor neither skips nor repeats; a
 * read waits for the next event; bad parameters are refused and change nothing.
 */
class EventFeedTest {
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
  void everyAcknowledgedChangeIsOneEventInOrderPerSubject() {
    String a = "feed-ann";
    String b = "feed-bob";
    assertThat(service.credit(a, 100, "feed-c1").status()).isEqualTo(200);
    assertThat(service.credit(b, 100, "feed-c2").status()).isEqualTo(200);
    assertThat(service.credit(a, 100, "feed-c1").status()).isEqualTo(200); // a replay: no event
    assertThat(
            post("/api/accounts/" + a + "/debits", "{\"amount\":7,\"transactionId\":\"feed-d1\"}"))
        .isEqualTo(200);
    assertThat(
            post(
                "/api/accounts/" + a + "/reservations",
                "{\"amount\":10,\"transactionId\":\"feed-h1\"}"))
        .isEqualTo(201);
    assertThat(post("/api/accounts/" + a + "/reservations/feed-h1/capture", null)).isEqualTo(200);
    assertThat(
            post(
                "/api/accounts/" + b + "/reservations",
                "{\"amount\":10,\"transactionId\":\"feed-h2\"}"))
        .isEqualTo(201);
    assertThat(
            service
                .send("DELETE", "/api/accounts/" + b + "/reservations/feed-h2", admin, null)
                .status())
        .isEqualTo(200);
    assertThat(service.createLead("feed-lead", 5, 2).status()).isEqualTo(201);
    assertThat(claim("feed-lead", a)).isEqualTo(200);
    assertThat(claim("feed-lead", b)).isEqualTo(200);
    assertThat(post("/api/leads/feed-lead/close", null)).isEqualTo(200);

    List<JsonNode> events = readAll(2);
    Map<String, List<JsonNode>> bySubject = new HashMap<>();
    for (JsonNode e : events) {
      bySubject.computeIfAbsent(e.get("subject").asText(), k -> new ArrayList<>()).add(e);
    }
    assertThat(types(bySubject.get("accounts/" + a)))
        .containsExactly(
            "credit.credited",
            "credit.debited",
            "credit.reserved",
            "credit.captured",
            "credit.debited");
    assertThat(types(bySubject.get("accounts/" + b)))
        .containsExactly("credit.credited", "credit.reserved", "credit.released", "credit.debited");
    assertThat(types(bySubject.get("leads/feed-lead")))
        .containsExactly(
            "lead.created", "lead.claimed", "lead.claimed", "lead.full", "lead.closed");
    for (List<JsonNode> ofOne : bySubject.values()) {
      long last = 0;
      for (JsonNode e : ofOne) {
        assertThat(e.get("sequenceNr").asLong()).isGreaterThanOrEqualTo(last);
        last = e.get("sequenceNr").asLong();
      }
    }
    Set<String> ids = new HashSet<>();
    events.forEach(e -> ids.add(e.get("id").asText()));
    assertThat(ids).hasSize(events.size());

    JsonNode debit = bySubject.get("accounts/" + a).get(1).get("data");
    assertThat(debit.get("transactionId").asText()).isEqualTo("feed-d1");
    assertThat(debit.get("amount").asLong()).isEqualTo(7);
    assertThat(debit.get("balanceBefore").asLong()).isEqualTo(100);
    assertThat(debit.get("balanceAfter").asLong()).isEqualTo(93);
    JsonNode claimDebit = bySubject.get("accounts/" + a).get(4).get("data");
    assertThat(claimDebit.get("metadata").get("leadId").asText()).isEqualTo("feed-lead");
    assertThat(claimDebit.get("metadata").has("claimId")).isTrue();
    JsonNode won = bySubject.get("leads/feed-lead").get(2).get("data");
    assertThat(won.get("claims").asInt()).isEqualTo(2);
    assertThat(won.get("maxClaims").asInt()).isEqualTo(2);
    assertThat(won.get("creditsUsed").asLong()).isEqualTo(5);
    assertThat(bySubject.get("accounts/" + a).get(2).get("data").get("holdId").asText())
        .isEqualTo("feed-h1");

    // The same events, read again, are the same events: same ids, same cursors.
    assertThat(readAll(1000)).isEqualTo(events);
    // Only credit events, and only the lead's.
    assertThat(readAll(1000, "type=credit.")).allMatch(e -> type(e).startsWith("credit."));
    assertThat(readAll(1000, "type=lead.claimed", "type=lead.full"))
        .extracting(EventFeedTest::type)
        .containsExactly("lead.claimed", "lead.claimed", "lead.full");
  }

  @Test
  void aReadWithWaitIsAnsweredByTheNextEvent() throws Exception {
    String end =
        service.send("GET", "/api/events?limit=1000", admin, null).body().get("next").asText();
    String tail = tailFrom(end);
    CompletableFuture<Reply> waiting =
        service.sendAsync("GET", "/api/events?wait=25&after=" + enc(tail), admin, null, Map.of());
    assertThat(service.credit("feed-late", 3, "feed-late-1").status()).isEqualTo(200);
    Reply answered = waiting.get(30, TimeUnit.SECONDS);
    assertThat(answered.status()).isEqualTo(200);
    assertThat(answered.body().get("items")).isNotEmpty();
    assertThat(answered.body().get("items").get(0).get("data").get("transactionId").asText())
        .isEqualTo("feed-late-1");
  }

  @Test
  void badParametersAreRefusedWithTheirReason() {
    for (String query :
        List.of(
            "after=not-a-cursor",
            "limit=0",
            "limit=1001",
            "limit=x",
            "type=credit.debit",
            "type=payout.",
            "wait=31",
            "wait=-1")) {
      Reply r = service.send("GET", "/api/events?" + query, admin, null);
      assertThat(r.status()).as(query).isEqualTo(400);
      assertThat(r.code()).as(query).isEqualTo("INVALID_REQUEST");
    }
    assertThat(service.send("GET", "/api/events", service.token("ann", Role.TRADIE), null).status())
        .isEqualTo(403);
    assertThat(service.send("GET", "/api/events", null, null).status()).isEqualTo(401);
  }

  /** The cursor after everything there is now, reading on from {@code after}. */
  private static String tailFrom(String after) {
    String at = after;
    while (true) {
      JsonNode page =
          service.send("GET", "/api/events?limit=1000&after=" + enc(at), admin, null).body();
      at = page.get("next").asText();
      if (page.get("items").isEmpty()) {
        return at;
      }
    }
  }

  private static List<JsonNode> readAll(int limit, String... filters) {
    List<JsonNode> all = new ArrayList<>();
    String after = null;
    while (true) {
      StringBuilder q = new StringBuilder("/api/events?limit=" + limit);
      for (String f : filters) {
        q.append('&').append(f);
      }
      if (after != null) {
        q.append("&after=").append(enc(after));
      }
      Reply r = service.send("GET", q.toString(), admin, null);
      assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
      JsonNode items = r.body().get("items");
      String next = r.body().get("next").asText();
      if (items.isEmpty()) {
        return all;
      }
      items.forEach(all::add);
      if (items.size() == limit) { // a full page resumes right after its last event
        assertThat(next).isEqualTo(items.get(items.size() - 1).get("cursor").asText());
      }
      after = next;
    }
  }

  private static int post(String path, String body) {
    return service.send("POST", path, admin, body).status();
  }

  private static int claim(String lead, String tradie) {
    return service
        .send("POST", "/api/leads/" + lead + "/claim", service.token(tradie, Role.TRADIE), null)
        .status();
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(EventFeedTest::type).toList();
  }

  private static String type(JsonNode e) {
    return e.get("type").asText();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
