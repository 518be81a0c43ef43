package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.auth.Role;
import io.leadcredits.refund.RefundRules;
import io.leadcredits.support.Await;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Voiding a lead over HTTP on the actor engine and its PostgreSQL: an admin's void (bad input
 * changes nothing, a repeat is a replay), every confirmed claim refunded in full exactly once with
 * reason LEAD_VOIDED, later claims refused, the void in the feed; and a restart right after the
 * void, its refunds under way, still ends with each claim refunded once.
 */
class LeadVoidHttpTest {
  @TempDir static Path dataDir;
  private static RunningService service;

  @BeforeAll
  static void start() {
    service = new RunningService(dataDir);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void aVoidRefundsEveryConfirmedClaimOnceAndClosesTheLead() {
    String admin = service.admin();
    String lead = "lv-lead-1";
    List<String> tradies = List.of("lv-ann", "lv-bob");
    for (String t : tradies) {
      assertThat(service.credit(t, 100, t + "-pack").status()).isEqualTo(200);
    }
    assertThat(service.credit("lv-carl", 100, "lv-carl-pack").status()).isEqualTo(200);
    create(admin, lead, 10, 3);
    List<String> claimIds = new ArrayList<>();
    for (String t : tradies) {
      claimIds.add(claim(t, lead, 200).body().get("claimId").asText());
      assertThat(balance(t)).isEqualTo(90);
    }

    // Refused, and nothing changes: a tradie, no body, no reason, a blank or overlong reason, an
    // unknown field.
    Reply byTradie = voidLead(service.token("lv-ann", Role.TRADIE), lead, "{\"reason\":\"x\"}");
    assertThat(byTradie.status()).isEqualTo(403);
    for (String bad :
        new String[] {
          null,
          "{}",
          "{\"reason\":\"  \"}",
          "{\"reason\":\"" + "x".repeat(257) + "\"}",
          "{\"reason\":\"x\",\"claims\":1}",
          "{\"reason\":7}"
        }) {
      Reply refused = voidLead(admin, lead, bad);
      assertThat(refused.status()).as(String.valueOf(bad)).isEqualTo(400);
    }
    assertThat(service.send("GET", "/api/leads/" + lead, admin, null).body().get("status").asText())
        .isEqualTo("OPEN");
    assertThat(voidLead(admin, "lv-nowhere", "{\"reason\":\"fake\"}").status()).isEqualTo(404);

    Reply voided = voidLead(admin, lead, "{\"reason\":\"the customer never existed\"}");
    assertThat(voided.status()).as(voided.body().toString()).isEqualTo(200);
    assertThat(voided.replayed()).isFalse();
    assertThat(voided.body().get("status").asText()).isEqualTo("VOIDED");
    Reply again = voidLead(admin, lead, "{\"reason\":\"another reason\"}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.replayed()).isTrue();
    assertThat(again.body().get("status").asText()).isEqualTo("VOIDED");

    // Nobody claims a voided lead, not even a winner retrying.
    Reply late = claim("lv-carl", lead, 409);
    assertThat(late.code()).isEqualTo("LEAD_CLOSED");
    assertThat(claim("lv-ann", lead, 409).code()).isEqualTo("LEAD_CLOSED");

    for (int i = 0; i < tradies.size(); i++) {
      String t = tradies.get(i);
      Await.until(Duration.ofSeconds(30), t + " refunded", () -> balance(t) == 100);
      JsonNode refunds = entries(t, "REFUND");
      assertThat(refunds).hasSize(1);
      JsonNode metadata = refunds.get(0).get("metadata");
      assertThat(metadata.get("claimId").asText()).isEqualTo(claimIds.get(i));
      assertThat(metadata.get("leadId").asText()).isEqualTo(lead);
      assertThat(refunds.get(0).get("transactionId").asText())
          .isEqualTo(RefundRules.refundIdOf(claimIds.get(i)));
    }
    assertThat(balance("lv-carl")).isEqualTo(100);
    assertThat(entries("lv-carl", "DEBIT")).isEmpty();

    // Each refund says why: the lead was voided, approved in full.
    JsonNode page = service.send("GET", "/api/refunds?limit=100", admin, null).body();
    List<JsonNode> ours = new ArrayList<>();
    page.get("items")
        .forEach(
            r -> {
              if (r.get("leadId").asText().equals(lead)) {
                ours.add(r);
              }
            });
    assertThat(ours).hasSize(2);
    for (JsonNode r : ours) {
      assertThat(r.get("reason").asText()).isEqualTo("LEAD_VOIDED");
      assertThat(r.get("status").asText()).isEqualTo("APPROVED");
      assertThat(r.get("amount").asLong()).isEqualTo(10);
    }

    // The lead list counts it as voided.
    JsonNode listed = service.send("GET", "/api/leads?status=voided&limit=10", admin, null).body();
    assertThat(listed.get("counts").get("VOIDED").asLong()).isGreaterThanOrEqualTo(1);
    List<String> ids = new ArrayList<>();
    listed.get("items").forEach(l -> ids.add(l.get("leadId").asText()));
    assertThat(ids).contains(lead);

    // One lead.voided, with its reason, who and how many claims.
    List<JsonNode> events = new ArrayList<>();
    Await.until(
        Duration.ofSeconds(30),
        "lead.voided in the feed",
        () -> {
          events.clear();
          service
              .send("GET", "/api/events?type=lead.voided&limit=1000", admin, null)
              .body()
              .get("items")
              .forEach(
                  e -> {
                    if (e.get("subject").asText().equals("leads/" + lead)) {
                      events.add(e);
                    }
                  });
          return !events.isEmpty();
        });
    assertThat(events).hasSize(1);
    JsonNode data = events.get(0).get("data");
    assertThat(data.get("leadId").asText()).isEqualTo(lead);
    assertThat(data.get("reason").asText()).isEqualTo("the customer never existed");
    assertThat(data.get("claims").asInt()).isEqualTo(2);
    assertThat(data.get("voidedBy").isTextual()).isTrue();

    // A second void after the refunds changes nothing.
    assertThat(voidLead(admin, lead, "{\"reason\":\"again\"}").replayed()).isTrue();
    for (String t : tradies) {
      assertThat(balance(t)).isEqualTo(100);
      assertThat(entries(t, "REFUND")).hasSize(1);
    }
    assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
  }

  /**
   * The service stops right after the void is answered, while its refunds are under way; once it is
   * back, the durable wake-up finishes them, each claim refunded exactly once.
   */
  @Test
  void aRestartRightAfterTheVoidStillRefundsEachClaimOnce() {
    String admin = service.admin();
    String lead = "lv-lead-2";
    List<String> tradies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      tradies.add("lv-r" + i);
    }
    for (String t : tradies) {
      assertThat(service.credit(t, 50, t + "-pack").status()).isEqualTo(200);
    }
    create(admin, lead, 7, tradies.size());
    for (String t : tradies) {
      claim(t, lead, 200);
    }
    Reply voided = voidLead(admin, lead, "{\"reason\":\"duplicate job\"}");
    assertThat(voided.status()).as(voided.body().toString()).isEqualTo(200);
    service.stop();
    java.time.Instant restarted = java.time.Instant.now();
    service.start();
    String adminAfter = service.admin();

    for (String t : tradies) {
      Await.until(Duration.ofSeconds(60), t + " refunded", () -> balance(t) == 50);
    }
    assertThat(
            service
                .send("GET", "/api/leads/" + lead, adminAfter, null)
                .body()
                .get("status")
                .asText())
        .isEqualTo("VOIDED");
    assertThat(voidLead(adminAfter, lead, "{\"reason\":\"again\"}").replayed()).isTrue();
    for (String t : tradies) {
      assertThat(entries(t, "REFUND")).as(t).hasSize(1);
      assertThat(balance(t)).isEqualTo(50);
    }
    // Whether the stop caught the walk midway depends on timing and is not forced (LeadVoidTest
    // forces each point); how many refunds the restarted service made is reported.
    long after = 0;
    for (JsonNode r :
        service.send("GET", "/api/refunds?limit=100", adminAfter, null).body().get("items")) {
      if (r.get("leadId").asText().equals(lead)
          && java.time.Instant.parse(r.get("decidedAt").asText()).isAfter(restarted)) {
        after++;
      }
    }
    System.out.println(
        "lead void restart: "
            + after
            + " of "
            + tradies.size()
            + " refunds made after the restart");
    assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
  }

  private static void create(String admin, String leadId, long cost, int maxClaims) {
    Reply created =
        service.send(
            "POST",
            "/api/leads",
            admin,
            "{\"leadId\":\""
                + leadId
                + "\",\"creditCost\":"
                + cost
                + ",\"maxClaims\":"
                + maxClaims
                + "}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
  }

  private static Reply claim(String tradieId, String leadId, int expected) {
    Reply claimed =
        service.send(
            "POST", "/api/leads/" + leadId + "/claim", service.token(tradieId, Role.TRADIE), null);
    assertThat(claimed.status()).as(claimed.body().toString()).isEqualTo(expected);
    return claimed;
  }

  private static Reply voidLead(String token, String leadId, String body) {
    return service.send("POST", "/api/leads/" + leadId + "/void", token, body);
  }

  private static long balance(String accountId) {
    return service.account(accountId).body().get("balance").asLong();
  }

  private static JsonNode entries(String account, String type) {
    List<JsonNode> found = new ArrayList<>();
    service
        .send("GET", "/api/accounts/" + account + "/transactions?limit=1000", service.admin(), null)
        .body()
        .get("items")
        .forEach(
            i -> {
              if (i.get("type").asText().equals(type)) {
                found.add(i);
              }
            });
    return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(found);
  }
}
