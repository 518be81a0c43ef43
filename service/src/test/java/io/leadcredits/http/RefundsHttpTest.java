package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.EngineKind;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refunds over HTTP on the actor engine and its PostgreSQL: asked for by the claim's tradie, one
 * per claim, approved (at most the price paid) or rejected once, credited exactly once even when
 * the approval is sent many times at once, back to the grants the claim's debit spent, and what
 * came from a grant that expired since as a promotional grant of the refund's own.
 */
class RefundsHttpTest {
  @TempDir static Path dataDir;
  @TempDir static Path shortWindowDir;
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
  void aRefundIsAskedOnceApprovedOnceAndCreditedOnceEvenWhenApprovedConcurrently()
      throws Exception {
    String t = "rf-ann";
    String tradie = service.token(t, Role.TRADIE);
    assertThat(service.credit(t, 100, "rf-ann-pack").status()).isEqualTo(200);
    String claimId = claim(t, "rf-lead-1", 10);
    assertThat(balance(t)).isEqualTo(90);

    Reply asked = ask(tradie, claimId, "{\"reason\":\"FAKE\",\"note\":\"no such job\"}");
    assertThat(asked.status()).isEqualTo(201);
    JsonNode refund = asked.body();
    String refundId = refund.get("refundId").asText();
    assertThat(refund.get("claimId").asText()).isEqualTo(claimId);
    assertThat(refund.get("leadId").asText()).isEqualTo("rf-lead-1");
    assertThat(refund.get("tradieId").asText()).isEqualTo(t);
    assertThat(refund.get("amount").asLong()).isEqualTo(10);
    assertThat(refund.get("reason").asText()).isEqualTo("FAKE");
    assertThat(refund.get("status").asText()).isEqualTo("PENDING");
    assertThat(refund.get("flagged").asBoolean()).isFalse();
    assertThat(refund.get("requestedAt").isTextual()).isTrue();

    Reply again = ask(tradie, claimId, "{\"reason\":\"FAKE\",\"note\":\"no such job\"}");
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.replayed()).isTrue();
    assertThat(again.body().get("refundId").asText()).isEqualTo(refundId);
    Reply other = ask(tradie, claimId, "{\"reason\":\"DUPLICATE\"}");
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.code()).isEqualTo("REFUND_EXISTS");
    Reply notHers = ask(service.token("rf-bob", Role.TRADIE), claimId, "{\"reason\":\"FAKE\"}");
    assertThat(notHers.status()).isEqualTo(404);
    Reply badReason = ask(tradie, claimId, "{\"reason\":\"LEAD_VOIDED\"}");
    assertThat(badReason.status()).isEqualTo(400);

    Reply tooMuch = decide(refundId, "approve", "{\"amount\":11}");
    assertThat(tooMuch.status()).isEqualTo(400);
    assertThat(tooMuch.code()).isEqualTo("INVALID_REQUEST");
    assertThat(decide("rfd_unknown", "approve", null).status()).isEqualTo(404);

    // Eight approvals at once: one decides, the others are its repeat; one credit.
    List<CompletableFuture<Reply>> approvals = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      approvals.add(
          service.sendAsync(
              "POST",
              "/api/refunds/" + refundId + "/approve",
              admin,
              "{\"note\":\"ok\"}",
              Map.of()));
    }
    int firsts = 0;
    for (CompletableFuture<Reply> f : approvals) {
      Reply r = f.get();
      assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
      assertThat(r.body().get("status").asText()).isEqualTo("APPROVED");
      assertThat(r.body().get("amount").asLong()).isEqualTo(10);
      firsts += r.replayed() ? 0 : 1;
    }
    assertThat(firsts).isEqualTo(1);
    Await.until(Duration.ofSeconds(30), "the refund credited", () -> balance(t) == 100);

    JsonNode refunds = entries(t, "REFUND");
    assertThat(refunds).hasSize(1);
    JsonNode entry = refunds.get(0);
    assertThat(entry.get("transactionId").asText()).isEqualTo(refundId);
    assertThat(entry.get("amount").asLong()).isEqualTo(10);
    assertThat(entry.get("metadata").get("claimId").asText()).isEqualTo(claimId);
    assertThat(entry.get("metadata").get("leadId").asText()).isEqualTo("rf-lead-1");
    assertThat(entry.get("metadata").get("refundId").asText()).isEqualTo(refundId);

    Reply reject = decide(refundId, "reject", null);
    assertThat(reject.status()).isEqualTo(409);
    assertThat(reject.code()).isEqualTo("REFUND_DECIDED");
    Reply otherAmount = decide(refundId, "approve", "{\"amount\":3}");
    assertThat(otherAmount.status()).isEqualTo(409);
    assertThat(otherAmount.code()).isEqualTo("REFUND_DECIDED");
    assertThat(balance(t)).isEqualTo(100);
    assertThat(entries(t, "REFUND")).hasSize(1);

    // One approved refund of one claim: a request on a second claim is over the 20% rate.
    String second = claim(t, "rf-lead-2", 10);
    Reply flagged = ask(tradie, second, "{\"reason\":\"OTHER\"}");
    assertThat(flagged.status()).isEqualTo(201);
    assertThat(flagged.body().get("flagged").asBoolean()).isTrue();
    assertThat(service.audit().body().get("ok").asBoolean()).isTrue();

    // The refund's story is in the feed: asked for, approved once.
    List<String> story = new ArrayList<>();
    Await.until(
        Duration.ofSeconds(30),
        "the refund's events in the feed",
        () -> {
          story.clear();
          service
              .send("GET", "/api/events?type=refund.&limit=1000", admin, null)
              .body()
              .get("items")
              .forEach(
                  e -> {
                    if (e.get("subject").asText().equals("refunds/" + refundId)) {
                      story.add(e.get("type").asText());
                    }
                  });
          return story.size() >= 2;
        });
    assertThat(story).containsExactly("refund.requested", "refund.approved");

    // The admin's list: by status, paged by refund id.
    List<String> pending = new ArrayList<>();
    String after = null;
    do {
      JsonNode page =
          service
              .send(
                  "GET",
                  "/api/refunds?status=PENDING&limit=1" + (after == null ? "" : "&after=" + after),
                  admin,
                  null)
              .body();
      page.get("items").forEach(r -> pending.add(r.get("refundId").asText()));
      after = page.get("next").isNull() ? null : page.get("next").asText();
    } while (after != null);
    String secondId = flagged.body().get("refundId").asText();
    assertThat(pending).contains(secondId).doesNotContain(refundId);
    assertThat(pending).isSorted();
    JsonNode approvedPage =
        service.send("GET", "/api/refunds?status=APPROVED&limit=100", admin, null).body();
    List<String> approvedIds = new ArrayList<>();
    approvedPage.get("items").forEach(r -> approvedIds.add(r.get("refundId").asText()));
    assertThat(approvedIds).contains(refundId).doesNotContain(secondId);
    assertThat(service.send("GET", "/api/refunds?status=DONE", admin, null).status())
        .isEqualTo(400);

    // The tradie's claim history: both claims, with price, time and refund status.
    JsonNode history =
        service.send("GET", "/api/accounts/" + t + "/claims", tradie, null).body().get("items");
    assertThat(history).hasSize(2);
    assertThat(history.get(0).get("claimId").asText()).isEqualTo(claimId);
    assertThat(history.get(0).get("creditsUsed").asLong()).isEqualTo(10);
    assertThat(history.get(0).get("claimedAt").isTextual()).isTrue();
    assertThat(history.get(0).get("refund").get("status").asText()).isEqualTo("APPROVED");
    assertThat(history.get(0).get("refund").get("credited").asBoolean()).isTrue();
    assertThat(history.get(1).get("claimId").asText()).isEqualTo(second);
    assertThat(history.get(1).get("refund").get("status").asText()).isEqualTo("PENDING");
    JsonNode firstPage =
        service.send("GET", "/api/accounts/" + t + "/claims?limit=1", admin, null).body();
    assertThat(firstPage.get("items")).hasSize(1);
    JsonNode secondPage =
        service
            .send(
                "GET",
                "/api/accounts/" + t + "/claims?limit=1&after=" + firstPage.get("next").asText(),
                admin,
                null)
            .body();
    assertThat(secondPage.get("items").get(0).get("claimId").asText()).isEqualTo(second);
    assertThat(
            service
                .send(
                    "GET",
                    "/api/accounts/" + t + "/claims",
                    service.token("rf-bob", Role.TRADIE),
                    null)
                .status())
        .isEqualTo(403);
  }

  @Test
  void aRejectionIsFinalAndAPartialApprovalGivesBackOnlyItsAmount() {
    String t = "rf-cat";
    String tradie = service.token(t, Role.TRADIE);
    assertThat(service.credit(t, 50, "rf-cat-pack").status()).isEqualTo(200);
    String rejected = claim(t, "rf-lead-3", 10);
    String refundId =
        ask(tradie, rejected, "{\"reason\":\"OUT_OF_AREA\"}").body().get("refundId").asText();
    Reply no = decide(refundId, "reject", "{\"note\":\"in area\"}");
    assertThat(no.status()).isEqualTo(200);
    assertThat(no.body().get("status").asText()).isEqualTo("REJECTED");
    assertThat(no.body().get("decisionNote").asText()).isEqualTo("in area");
    assertThat(decide(refundId, "reject", null).replayed()).isTrue();
    Reply late = decide(refundId, "approve", null);
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.code()).isEqualTo("REFUND_DECIDED");

    String partial = claim(t, "rf-lead-4", 10);
    String partialId =
        ask(tradie, partial, "{\"reason\":\"WRONG_CATEGORY\"}").body().get("refundId").asText();
    Reply some = decide(partialId, "approve", "{\"amount\":4}");
    assertThat(some.status()).isEqualTo(200);
    assertThat(some.body().get("amount").asLong()).isEqualTo(4);
    Await.until(Duration.ofSeconds(30), "the partial refund credited", () -> balance(t) == 34);
    assertThat(entries(t, "REFUND")).hasSize(1);
    assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
  }

  /**
   * A claim paid 6 from a promotional grant that expires soon and 4 from a paid grant it spent
   * wholly. Refunded after the promotional grant expired: the paid grant comes back with its own
   * terms, the expired part as a promotional grant of the refund's own, expiring in 180 days.
   */
  @Test
  void aRefundGoesBackToTheGrantsItCameFromAndLapsedCreditComesBackPromotional() {
    String t = "rf-dan";
    String tradie = service.token(t, Role.TRADIE);
    Instant expiry = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
    Reply promo =
        service.send(
            "POST",
            "/api/accounts/" + t + "/credits",
            admin,
            "{\"amount\":6,\"transactionId\":\"rf-dan-promo\",\"category\":\"promotional\","
                + "\"expiresAt\":\""
                + expiry
                + "\"}");
    assertThat(promo.status()).isEqualTo(200);
    assertThat(service.credit(t, 4, "rf-dan-pack").status()).isEqualTo(200);
    String claimId = claim(t, "rf-lead-5", 10);
    assertThat(balance(t)).isZero();
    String refundId = ask(tradie, claimId, "{\"reason\":\"FAKE\"}").body().get("refundId").asText();
    Await.until(
        Duration.ofSeconds(30),
        "the promotional grant expired",
        () -> Instant.now().isAfter(expiry));

    assertThat(decide(refundId, "approve", null).status()).isEqualTo(200);
    Await.until(Duration.ofSeconds(30), "the refund credited", () -> balance(t) == 10);
    JsonNode entry = entries(t, "REFUND").get(0);
    assertThat(entry.get("grants").toString())
        .isEqualTo(
            "[{\"grantId\":\"rf-dan-pack\",\"amount\":4},{\"grantId\":\""
                + refundId
                + "\",\"amount\":6}]");
    JsonNode grants = service.account(t).body().get("grants");
    assertThat(grants).hasSize(2);
    JsonNode own = null;
    JsonNode pack = null;
    for (JsonNode g : grants) {
      if (g.get("grantId").asText().equals(refundId)) {
        own = g;
      } else if (g.get("grantId").asText().equals("rf-dan-pack")) {
        pack = g;
      }
    }
    assertThat(pack).isNotNull();
    assertThat(pack.get("category").asText()).isEqualTo("paid");
    assertThat(pack.get("remaining").asLong()).isEqualTo(4);
    assertThat(pack.get("expiresAt").isNull()).isTrue();
    assertThat(own).isNotNull();
    assertThat(own.get("category").asText()).isEqualTo("promotional");
    assertThat(own.get("remaining").asLong()).isEqualTo(6);
    Instant ownExpiry = Instant.parse(own.get("expiresAt").asText());
    assertThat(ownExpiry)
        .isBetween(
            Instant.now().plus(Duration.ofDays(179)), Instant.now().plus(Duration.ofDays(181)));
    assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
  }

  @Test
  void aRequestAfterTheWindowIsRefused() {
    try (RunningService shortWindow =
        new RunningService(
            shortWindowDir, EngineKind.ACTORS, Map.of("leadcredits.refunds.window", "1ms"))) {
      String t = "rf-eve";
      assertThat(shortWindow.credit(t, 20, "rf-eve-pack").status()).isEqualTo(200);
      String shortAdmin = shortWindow.admin();
      assertThat(
              shortWindow
                  .send(
                      "POST",
                      "/api/leads",
                      shortAdmin,
                      "{\"leadId\":\"rf-lead-6\",\"creditCost\":10,\"maxClaims\":2}")
                  .status())
          .isEqualTo(201);
      String tradie = shortWindow.token(t, Role.TRADIE);
      Reply claimed = shortWindow.send("POST", "/api/leads/rf-lead-6/claim", tradie, null);
      assertThat(claimed.status()).isEqualTo(200);
      String claimId = claimed.body().get("claimId").asText();
      Reply late =
          shortWindow.send(
              "POST",
              "/api/claims/" + claimId + "/refund-requests",
              tradie,
              "{\"reason\":\"FAKE\"}");
      assertThat(late.status()).isEqualTo(409);
      assertThat(late.code()).isEqualTo("REFUND_WINDOW_CLOSED");
    }
  }

  private static String claim(String tradieId, String leadId, long cost) {
    Reply created =
        service.send(
            "POST",
            "/api/leads",
            admin,
            "{\"leadId\":\"" + leadId + "\",\"creditCost\":" + cost + ",\"maxClaims\":3}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    Reply claimed =
        service.send(
            "POST", "/api/leads/" + leadId + "/claim", service.token(tradieId, Role.TRADIE), null);
    assertThat(claimed.status()).as(claimed.body().toString()).isEqualTo(200);
    return claimed.body().get("claimId").asText();
  }

  private static Reply ask(String token, String claimId, String body) {
    return service.send("POST", "/api/claims/" + claimId + "/refund-requests", token, body);
  }

  private static Reply decide(String refundId, String decision, String body) {
    return service.send("POST", "/api/refunds/" + refundId + "/" + decision, admin, body);
  }

  private static long balance(String accountId) {
    return service.account(accountId).body().get("balance").asLong();
  }

  private static JsonNode entries(String account, String type) {
    List<JsonNode> found = new ArrayList<>();
    service
        .send("GET", "/api/accounts/" + account + "/transactions?limit=1000", admin, null)
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
