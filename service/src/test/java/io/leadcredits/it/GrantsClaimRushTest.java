package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.auth.Role;
import io.leadcredits.support.Await;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claim rush with mixed grants, on the actor engine (the baselines keep no grants): every
 * tradie has paid credits and a promotional grant that expires while the rush is under way, and a
 * quarter can afford the lead only with the promotional credits. Whatever the timing, the lead
 * sells its slots once each, every winner is paid once, a debit takes the promotional credits first
 * while they live and never after their expiry (so a tradie who could pay only with them wins only
 * before it), every promotional remainder expires exactly once, no paid credit expires, and the
 * audit is clean.
 */
class GrantsClaimRushTest {
  @TempDir static Path dataDir;
  private static RunningService service;

  private static final int TRADIES = 200;
  private static final int SLOTS = 40;
  private static final long COST = 25;
  private static final long PROMO = 10;

  @BeforeAll
  static void start() {
    service = new RunningService(dataDir);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  /** A quarter has 15 paid: enough only with the promotional 10 while it lives. */
  private static long paid(int i) {
    return i % 4 == 0 ? 15 : 100;
  }

  @Test
  void aRushWhileThePromotionalCreditsExpire() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < TRADIES; i++) {
      String id = "gr-t" + i;
      ids.add(id);
      assertThat(service.credit(id, paid(i), "gr-paid-" + i).status()).isEqualTo(200);
    }
    assertThat(service.createLead("gr-lead", COST, SLOTS).status()).isEqualTo(201);
    // Whole seconds: expiresAt is given in RFC 3339 and compared with the debits' times.
    Instant expiry = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 4);
    List<CompletableFuture<Reply>> promos = new ArrayList<>();
    for (int i = 0; i < TRADIES; i++) {
      promos.add(
          service.sendAsync(
              "POST",
              "/api/accounts/" + ids.get(i) + "/credits",
              service.admin(),
              "{\"amount\":"
                  + PROMO
                  + ",\"transactionId\":\"gr-promo-"
                  + i
                  + "\",\"category\":\"promotional\",\"expiresAt\":\""
                  + expiry
                  + "\"}",
              Map.of()));
    }
    // A top-up too late to be in the future is refused, and then the tradie has no promotion.
    Map<String, Boolean> hasPromo = new HashMap<>();
    for (int i = 0; i < TRADIES; i++) {
      Reply r = promos.get(i).join();
      assertThat(r.status()).as(r.raw().body()).isIn(200, 400);
      hasPromo.put(ids.get(i), r.status() == 200);
    }
    assertThat(hasPromo.values()).as("promotions granted before the rush").contains(true);

    List<CompletableFuture<Reply>> claims = new ArrayList<>();
    for (String id : ids) {
      claims.add(
          service.sendAsync(
              "POST", "/api/leads/gr-lead/claim", service.token(id, Role.TRADIE), null, Map.of()));
    }
    List<String> winners = new ArrayList<>();
    for (CompletableFuture<Reply> c : claims) {
      Reply r = c.join();
      assertThat(r.status()).as(r.raw().body()).isIn(200, 402, 409);
      if (r.status() == 200) {
        winners.add(r.body().get("tradieId").asText());
        assertThat(r.body().get("creditsUsed").asLong()).isEqualTo(COST);
      } else {
        assertThat(r.code()).isIn("LEAD_FULL", "INSUFFICIENT_CREDITS");
      }
    }
    assertThat(winners).hasSizeLessThanOrEqualTo(SLOTS).doesNotHaveDuplicates();
    JsonNode lead = service.send("GET", "/api/leads/gr-lead", service.admin(), null).body();
    assertThat(lead.get("claims")).hasSize(winners.size());

    Await.until(
        Duration.ofSeconds(60),
        "every promotional remainder expired",
        () ->
            ids.stream()
                .allMatch(
                    id ->
                        service.account(id).body().get("byCategory").get("promotional").asLong()
                            == 0));
    for (int i = 0; i < TRADIES; i++) {
      checkTradie(ids.get(i), paid(i), hasPromo.get(ids.get(i)), winners, expiry);
    }
    Reply audit = service.audit();
    assertThat(audit.body().get("ok").asBoolean()).as(audit.body().toString()).isTrue();
  }

  /** The tradie's trail, once the promotion has expired, against what it could have paid. */
  private static void checkTradie(
      String id, long paid, boolean promo, List<String> winners, Instant expiry) {
    List<JsonNode> trail = new ArrayList<>();
    Await.until(
        Duration.ofSeconds(60),
        id + "'s expiry recorded",
        () -> {
          trail.clear();
          service
              .send("GET", "/api/accounts/" + id + "/transactions", service.admin(), null)
              .body()
              .get("items")
              .forEach(trail::add);
          long spentFromPromo = 0;
          boolean expired = false;
          for (JsonNode t : trail) {
            spentFromPromo += promoTaken(t, id);
            expired |= t.get("type").asText().equals("GRANT_EXPIRED");
          }
          return !promo || expired || spentFromPromo == PROMO;
        });
    long debits = 0;
    long expiredAmount = 0;
    long fromPromo = 0;
    for (JsonNode t : trail) {
      String type = t.get("type").asText();
      if (type.equals("DEBIT")) {
        debits++;
        assertThat(t.get("amount").asLong()).isEqualTo(COST);
        assertThat(t.get("transactionId").asText()).startsWith("clm_");
        Instant at = Instant.parse(t.get("at").asText());
        long taken = promoTaken(t, id);
        fromPromo += taken;
        if (!at.isBefore(expiry)) {
          assertThat(taken).as(id + ": promotional credits paid after their expiry").isZero();
        } else if (promo) {
          assertThat(taken).as(id + ": promotional credits are spent first").isEqualTo(PROMO);
        }
      } else if (type.equals("GRANT_EXPIRED")) {
        assertThat(t.get("grantId").asText())
            .as(id + ": only the promotion expires")
            .startsWith("gr-promo-");
        assertThat(Instant.parse(t.get("at").asText())).isEqualTo(expiry);
        expiredAmount += t.get("amount").asLong();
      }
    }
    boolean won = winners.contains(id);
    assertThat(debits).as(id).isEqualTo(won ? 1 : 0);
    if (promo) {
      assertThat(fromPromo + expiredAmount)
          .as(id + ": the promotion ends exactly once")
          .isEqualTo(PROMO);
    }
    if (won && paid < COST) {
      assertThat(fromPromo).as(id + " could pay only with the promotion").isEqualTo(PROMO);
    }
    JsonNode view = service.account(id).body();
    assertThat(view.get("balance").asLong())
        .as(id)
        .isEqualTo(paid + (promo ? PROMO : 0) - (won ? COST : 0) - expiredAmount);
    assertThat(view.get("byCategory").get("paid").asLong()).isEqualTo(view.get("balance").asLong());
  }

  /** What a trail item took from the tradie's promotional grant. */
  private static long promoTaken(JsonNode item, String id) {
    long taken = 0;
    JsonNode grants = item.get("grants");
    if (grants != null && item.get("type").asText().equals("DEBIT")) {
      for (JsonNode g : grants) {
        if (g.get("grantId").asText().startsWith("gr-promo-")) {
          taken += g.get("amount").asLong();
        }
      }
    }
    return taken;
  }
}
