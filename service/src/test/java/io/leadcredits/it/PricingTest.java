package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.auth.Role;
import io.leadcredits.pricing.JobSize;
import io.leadcredits.pricing.PriceInputs;
import io.leadcredits.pricing.PriceList;
import io.leadcredits.pricing.PriceRules;
import io.leadcredits.pricing.PricesInForce;
import io.leadcredits.support.Await;
import io.leadcredits.testkit.Reply;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Prices over HTTP, on the actor engine (the baselines have no price lists: {@link
 * BaselineRoutesTest}): the versioned price list, tiers, quotes, {@code maxCost}, and a claim rush
 * during which the list changes. The list is the service's one: each test puts in force the list it
 * needs and reads the version it got; only the first test relies on its order (before any list).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(names = "ACTORS")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PricingTest extends EngineContract {
  private static final ObjectMapper json = new ObjectMapper();

  private static PriceList list(
      long defaultCost,
      long plumbing,
      String region,
      String large,
      String gold,
      String perClaim,
      String floor,
      long minimum,
      RoundingMode rounding) {
    return new PriceList(
        new PriceList.Base(defaultCost, new TreeMap<>(Map.of("plumbing", plumbing))),
        new TreeMap<>(Map.of("NSW-2000", new BigDecimal(region))),
        Map.of(JobSize.LARGE, new BigDecimal(large), JobSize.SMALL, new BigDecimal("0.5")),
        new TreeMap<>(Map.of("gold", new BigDecimal(gold))),
        new PriceList.Competition(new BigDecimal(perClaim), new BigDecimal(floor)),
        minimum,
        rounding);
  }

  private static String document(PriceList list) {
    try {
      return json.writeValueAsString(list.document());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Puts the list in force and answers its version. */
  private long put(PriceList list) {
    Reply r = service.send("PUT", "/api/pricing", service.admin(), document(list));
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    return r.body().get("version").asLong();
  }

  private String tradie(String id) {
    return service.token(id, Role.TRADIE);
  }

  private Reply claim(String leadId, String tradieId, String body) {
    return service.send("POST", "/api/leads/" + leadId + "/claim", tradie(tradieId), body);
  }

  private long balance(String accountId) {
    return service.account(accountId).body().get("balance").asLong();
  }

  private static long price(
      Map<Long, PriceList> versions, long version, String tier, int claimsTaken) {
    PriceRules.Outcome outcome =
        PriceRules.price(
            new PricesInForce(version, versions.get(version)),
            new PriceInputs(0, "plumbing", "NSW-2000", JobSize.LARGE, tier, claimsTaken));
    return ((PriceRules.Priced) outcome).price().creditCost();
  }

  @Test
  @Order(1)
  void aLeadWithoutItsOwnCostIsRefusedWhileNoListIsInForce() {
    assertThat(service.send("GET", "/api/pricing", service.admin(), null).code())
        .isEqualTo("NOT_FOUND");
    Reply r =
        service.send(
            "POST",
            "/api/leads",
            service.admin(),
            "{\"leadId\":\"no-list\",\"maxClaims\":1,\"category\":\"plumbing\"}");
    assertThat(r.status()).as(r.raw().body()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("NO_PRICE_LIST");
    assertThat(service.send("GET", "/api/leads/no-list", service.admin(), null).status())
        .isEqualTo(404);
    // A lead with its own cost needs no list, and costs exactly that: no version.
    assertThat(service.createLead("own-cost", 12, 1).status()).isEqualTo(201);
    service.credit("oc-ann", 100, "oc-topup");
    Reply won = claim("own-cost", "oc-ann", null);
    assertThat(won.status()).as(won.raw().body()).isEqualTo(200);
    assertThat(won.body().get("creditCost").asLong()).isEqualTo(12);
    assertThat(won.body().get("pricingVersion").isNull()).isTrue();
    assertThat(balance("oc-ann")).isEqualTo(88);
  }

  @Test
  void putAndGetAnswerTheDocumentWithItsVersionAndARepeatMakesNoNewVersion() {
    PriceList a = list(10, 20, "1.5", "2.0", "0.8", "-0.1", "0.5", 1, RoundingMode.HALF_UP);
    PriceList b = list(11, 20, "1.5", "2.0", "0.8", "-0.1", "0.5", 1, RoundingMode.HALF_UP);
    long va = put(a);
    Reply got = service.send("GET", "/api/pricing", tradie("reader"), null);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.body().get("version").asLong()).isEqualTo(va);
    assertThat(got.body().get("base").get("categories").get("plumbing").asLong()).isEqualTo(20);
    assertThat(got.body().get("regions").get("NSW-2000").decimalValue())
        .isEqualByComparingTo("1.5");
    assertThat(got.body().get("competition").get("perClaim").decimalValue())
        .isEqualByComparingTo("-0.1");
    assertThat(got.body().get("changedBy").asText()).isEqualTo("ops");
    Reply again = service.send("PUT", "/api/pricing", service.admin(), document(a));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.replayed()).isTrue();
    assertThat(again.body().get("version").asLong()).isEqualTo(va);
    // What GET answered can be sent back as it is: the same list, no new version.
    Reply back = service.send("PUT", "/api/pricing", service.admin(), got.body().toString());
    assertThat(back.body().get("version").asLong()).as(back.raw().body()).isEqualTo(va);
    assertThat(put(b)).isEqualTo(va + 1);
    assertThat(
            service
                .send("GET", "/api/pricing", service.admin(), null)
                .body()
                .get("version")
                .asLong())
        .isEqualTo(va + 1);
    assertThat(service.send("PUT", "/api/pricing", tradie("reader"), document(a)).status())
        .isEqualTo(403);
  }

  @Test
  void badListsAreRefusedAndChangeNothing() {
    long before = put(list(10, 20, "1.5", "2.0", "0.8", "-0.1", "0.5", 1, RoundingMode.HALF_UP));
    for (String body :
        List.of(
            "{\"base\":{\"default\":0}}",
            "{\"regions\":{\"NSW-2000\":1.5}}",
            "{\"base\":{\"default\":10.5}}",
            "{\"base\":{\"default\":10},\"regions\":{\"r\":0}}",
            "{\"base\":{\"default\":10},\"regions\":{\"r\":-1}}",
            "{\"base\":{\"default\":10},\"regions\":{\"r\":\"1.5\"}}",
            "{\"base\":{\"default\":10},\"tiers\":{\"gold\":1.0000001}}",
            "{\"base\":{\"default\":10},\"jobSizes\":{\"HUGE\":2}}",
            "{\"base\":{\"default\":10},\"competition\":{\"perClaim\":-2}}",
            "{\"base\":{\"default\":10},\"competition\":{\"floor\":-0.5}}",
            "{\"base\":{\"default\":10},\"minimum\":-1}",
            "{\"base\":{\"default\":10},\"rounding\":\"SIDEWAYS\"}",
            "{\"base\":{\"default\":10},\"rounding\":\"UNNECESSARY\"}",
            "{\"base\":{\"default\":10},\"extra\":1}",
            "{\"base\":{\"default\":10,\"categories\":{\"a b\":5}}}")) {
      Reply r = service.send("PUT", "/api/pricing", service.admin(), body);
      assertThat(r.status()).as(body + ": " + r.raw().body()).isEqualTo(400);
      assertThat(r.code()).as(body).isEqualTo("INVALID_REQUEST");
    }
    assertThat(
            service
                .send("GET", "/api/pricing", service.admin(), null)
                .body()
                .get("version")
                .asLong())
        .isEqualTo(before);
  }

  @Test
  void anAdminSetsATradiesTier() {
    Reply set =
        service.send(
            "PUT", "/api/accounts/tier-ann/profile", service.admin(), "{\"tier\":\"gold\"}");
    assertThat(set.status()).as(set.raw().body()).isEqualTo(200);
    assertThat(set.body().get("accountId").asText()).isEqualTo("tier-ann");
    assertThat(set.body().get("tier").asText()).isEqualTo("gold");
    assertThat(
            service
                .send(
                    "PUT", "/api/accounts/tier-ann/profile", service.admin(), "{\"tier\":\"gold\"}")
                .replayed())
        .isTrue();
    assertThat(
            service
                .send(
                    "PUT",
                    "/api/accounts/tier-ann/profile",
                    tradie("tier-ann"),
                    "{\"tier\":\"gold\"}")
                .status())
        .isEqualTo(403);
    for (String body :
        List.of("{}", "{\"tier\":\"a b\"}", "{\"tier\":5}", "{\"tier\":\"gold\",\"x\":1}")) {
      Reply r = service.send("PUT", "/api/accounts/tier-ann/profile", service.admin(), body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.code()).as(body).isEqualTo("INVALID_REQUEST");
    }
    Reply cleared =
        service.send("PUT", "/api/accounts/tier-ann/profile", service.admin(), "{\"tier\":null}");
    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.body().get("tier").isNull()).isTrue();
  }

  @Test
  void aQuoteSaysWhatAClaimMadeNowCostsAndTheClaimPaysItAndCarriesItsVersion() {
    PriceList l = list(10, 20, "1.5", "2.0", "0.8", "-0.1", "0.5", 1, RoundingMode.HALF_UP);
    long v = put(l);
    service.send("PUT", "/api/accounts/q-gold/profile", service.admin(), "{\"tier\":\"gold\"}");
    Reply created =
        service.send(
            "POST",
            "/api/leads",
            service.admin(),
            "{\"leadId\":\"q-lead\",\"maxClaims\":3,\"category\":\"plumbing\","
                + "\"region\":\"NSW-2000\",\"jobSize\":\"LARGE\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.body().get("creditCost").isNull()).isTrue();
    assertThat(created.body().get("category").asText()).isEqualTo("plumbing");
    service.credit("q-first", 1000, "q-first-topup");
    service.credit("q-gold", 1000, "q-gold-topup");
    assertThat(claim("q-lead", "q-first", null).body().get("creditCost").asLong()).isEqualTo(60);

    Reply quote = service.send("GET", "/api/leads/q-lead/quote", tradie("q-gold"), null);
    assertThat(quote.status()).as(quote.raw().body()).isEqualTo(200);
    // The worked example with one slot taken: 20 × 1.5 × 2 × 0.8 × max(0.5, 1 − 0.1) = 43.2 → 43
    assertThat(quote.body().get("creditCost").asLong()).isEqualTo(43);
    assertThat(quote.body().get("pricingVersion").asLong()).isEqualTo(v);
    assertThat(quote.body().get("tradieId").asText()).isEqualTo("q-gold");
    List<String> rules = new ArrayList<>();
    quote.body().get("breakdown").forEach(s -> rules.add(s.get("rule").asText()));
    assertThat(rules)
        .containsExactly("base", "region", "jobSize", "tier", "competition", "rounded");

    Reply won = claim("q-lead", "q-gold", "{}");
    assertThat(won.status()).as(won.raw().body()).isEqualTo(200);
    assertThat(won.body().get("creditCost").asLong()).isEqualTo(43);
    assertThat(won.body().get("creditsUsed").asLong()).isEqualTo(43);
    assertThat(won.body().get("pricingVersion").asLong()).isEqualTo(v);
    assertThat(won.body().get("balance").asLong()).isEqualTo(957);
    JsonNode claims =
        service.send("GET", "/api/leads/q-lead", service.admin(), null).body().get("claims");
    assertThat(claims.get(1).get("creditCost").asLong()).isEqualTo(43);
    assertThat(claims.get(1).get("pricingVersion").asLong()).isEqualTo(v);
    assertThat(claims.get(1).get("tier").asText()).isEqualTo("gold");
    assertThat(claims.get(1).get("claimsTaken").asInt()).isEqualTo(1);
    // Asked again, the quote tells the winner what the claim paid.
    assertThat(
            service
                .send("GET", "/api/leads/q-lead/quote", tradie("q-gold"), null)
                .body()
                .get("creditCost")
                .asLong())
        .isEqualTo(43);
    assertThat(service.send("GET", "/api/leads/q-lead/quote", service.admin(), null).status())
        .isEqualTo(403);
    assertThat(service.send("GET", "/api/leads/q-nothing/quote", tradie("q-gold"), null).code())
        .isEqualTo("NOT_FOUND");

    // The feed announces the list and the claim with its price and version.
    JsonNode changed =
        service
            .send("GET", "/api/events?type=pricing.changed&limit=1000", service.admin(), null)
            .body()
            .get("items");
    assertThat(changed).isNotEmpty();
    assertThat(changed.get(changed.size() - 1).get("subject").asText()).isEqualTo("pricing");
    boolean announced = false;
    for (JsonNode e : changed) {
      announced |= e.get("data").get("version").asLong() == v;
    }
    assertThat(announced).as("pricing.changed for version " + v).isTrue();
    JsonNode claimed =
        service
            .send("GET", "/api/events?type=lead.claimed&limit=1000", service.admin(), null)
            .body()
            .get("items");
    boolean seen = false;
    for (JsonNode e : claimed) {
      JsonNode data = e.get("data");
      if (data.get("tradieId").asText().equals("q-gold")) {
        seen = true;
        assertThat(data.get("creditCost").asLong()).isEqualTo(43);
        assertThat(data.get("pricingVersion").asLong()).isEqualTo(v);
      }
    }
    assertThat(seen).isTrue();
  }

  @Test
  void aClaimAboveMaxCostIsRefusedWithThePriceAndTakesNeitherCreditsNorASlot() {
    long v = put(list(10, 20, "1.5", "2.0", "0.8", "-0.1", "0.5", 1, RoundingMode.HALF_UP));
    assertThat(service.createLead("mc-lead", 30, 1).status()).isEqualTo(201);
    service.credit("mc-ann", 100, "mc-ann-topup");
    service.credit("mc-bob", 100, "mc-bob-topup");
    for (String body :
        List.of(
            "{\"maxCost\":0}",
            "{\"maxCost\":-1}",
            "{\"maxCost\":\"30\"}",
            "{\"maxCost\":29.5}",
            "{\"maxCost\":30,\"x\":1}",
            "[]")) {
      Reply r = claim("mc-lead", "mc-ann", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.code()).as(body).isEqualTo("INVALID_REQUEST");
    }
    Reply refused = claim("mc-lead", "mc-ann", "{\"maxCost\":29}");
    assertThat(refused.status()).as(refused.raw().body()).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("PRICE_ABOVE_MAX");
    assertThat(refused.body().get("creditCost").asLong()).isEqualTo(30);
    assertThat(refused.body().get("pricingVersion").asLong()).isEqualTo(v);
    assertThat(refused.body().get("maxCost").asLong()).isEqualTo(29);
    assertThat(refused.body().get("breakdown")).isNotEmpty();
    assertThat(balance("mc-ann")).isEqualTo(100);
    Reply trail = service.send("GET", "/api/accounts/mc-ann/transactions", service.admin(), null);
    assertThat(trail.body().get("items")).hasSize(1);
    JsonNode lead = service.send("GET", "/api/leads/mc-lead", service.admin(), null).body();
    assertThat(lead.get("claims")).isEmpty();
    assertThat(lead.get("status").asText()).isEqualTo("OPEN");
    // The one slot was never taken: bob gets it at exactly his maxCost.
    Reply bob = claim("mc-lead", "mc-bob", "{\"maxCost\":30}");
    assertThat(bob.status()).as(bob.raw().body()).isEqualTo(200);
    assertThat(bob.body().get("creditCost").asLong()).isEqualTo(30);
    assertThat(claim("mc-lead", "mc-ann", null).code()).isEqualTo("LEAD_FULL");
    assertThat(balance("mc-bob")).isEqualTo(70);
  }

  /**
   * A rush with competition pricing, during which the list changes: every winner pays exactly what
   * its version, its tier and the slots taken before it give; the slots taken before each claim are
   * 0, 1, 2, … once each; a tradie's maxCost is honoured; nobody pays twice; every claim sent after
   * the change was answered is priced by the new version; and retried after yet another change, no
   * claim is priced again.
   */
  @Test
  void aRushPricedByCompetitionWhileTheListChangesChargesEachWinnerItsOwnPriceOnce() {
    Map<Long, PriceList> versions = new HashMap<>();
    PriceList first = list(40, 50, "1.2", "1.5", "0.8", "-0.02", "0.6", 5, RoundingMode.HALF_EVEN);
    PriceList second = list(40, 70, "1.2", "1.5", "0.9", "-0.03", "0.5", 5, RoundingMode.UP);
    long v1 = put(first);
    versions.put(v1, first);
    int slots = 30;
    int tradies = 120;
    long maxCost = 70;
    Reply created =
        service.send(
            "POST",
            "/api/leads",
            service.admin(),
            "{\"leadId\":\"pr-rush\",\"maxClaims\":"
                + slots
                + ",\"category\":\"plumbing\",\"region\":\"NSW-2000\",\"jobSize\":\"LARGE\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    List<String> ids = IntStream.range(0, tradies).mapToObj(i -> "pr-t-" + i).toList();
    Map<String, String> tiers = new HashMap<>();
    for (int i = 0; i < tradies; i++) {
      String id = ids.get(i);
      assertThat(service.credit(id, 10_000, "pr-topup-" + id).status()).isEqualTo(200);
      tiers.put(id, i % 3 == 0 ? "gold" : null);
      service.send(
          "PUT",
          "/api/accounts/" + id + "/profile",
          service.admin(),
          i % 3 == 0 ? "{\"tier\":\"gold\"}" : "{\"tier\":null}");
    }
    Set<String> bounded = new HashSet<>();
    for (int i = 0; i < tradies; i += 4) {
      bounded.add(ids.get(i));
    }

    Map<String, CompletableFuture<Reply>> sent = new HashMap<>();
    int firstBatch = 20;
    for (String id : ids.subList(0, firstBatch)) {
      sent.put(id, rush(id, bounded.contains(id) ? maxCost : 0));
    }
    // The list changes once a first claim of the rush has won, while the others may be under way.
    Await.until(
        Duration.ofSeconds(60),
        "a first claim won",
        () ->
            sent.values().stream()
                .anyMatch(
                    f -> f.isDone() && !f.isCompletedExceptionally() && f.join().status() == 200));
    long v2 = put(second);
    versions.put(v2, second);
    for (String id : ids.subList(firstBatch, tradies)) {
      sent.put(id, rush(id, bounded.contains(id) ? maxCost : 0));
    }
    Map<String, Reply> replies = new HashMap<>();
    sent.forEach((id, f) -> replies.put(id, f.join()));

    Map<String, JsonNode> won = new HashMap<>();
    for (String id : ids) {
      Reply r = replies.get(id);
      if (r.status() == 200) {
        won.put(id, r.body());
      } else {
        assertThat(r.status()).as(id + ": " + r.raw().body()).isEqualTo(409);
        assertThat(r.code()).as(id).isIn("LEAD_FULL", "PRICE_ABOVE_MAX");
        if (r.code().equals("PRICE_ABOVE_MAX")) {
          assertThat(bounded).contains(id);
          assertThat(r.body().get("creditCost").asLong()).isGreaterThan(maxCost);
        }
      }
    }
    assertThat(won).hasSize(slots);

    JsonNode lead = service.send("GET", "/api/leads/pr-rush", service.admin(), null).body();
    assertThat(lead.get("status").asText()).isEqualTo("FULL");
    Set<Integer> taken = new HashSet<>();
    for (JsonNode c : lead.get("claims")) {
      String id = c.get("tradieId").asText();
      long version = c.get("pricingVersion").asLong();
      int before = c.get("claimsTaken").asInt();
      long paid = c.get("creditCost").asLong();
      assertThat(version).as(id).isIn(v1, v2);
      assertThat(taken.add(before)).as(id + " took slot " + before + " twice").isTrue();
      assertThat(c.get("tier").isNull() ? null : c.get("tier").asText())
          .as(id)
          .isEqualTo(tiers.get(id));
      assertThat(paid).as(id).isEqualTo(price(versions, version, tiers.get(id), before));
      if (bounded.contains(id)) {
        assertThat(paid).as(id).isLessThanOrEqualTo(maxCost);
      }
      if (ids.indexOf(id) >= firstBatch) {
        assertThat(version).as(id + " claimed after the change").isEqualTo(v2);
      }
      assertThat(won.get(id).get("creditCost").asLong()).as(id).isEqualTo(paid);
      assertThat(won.get(id).get("pricingVersion").asLong()).as(id).isEqualTo(version);
    }
    assertThat(taken).isEqualTo(new HashSet<>(IntStream.range(0, slots).boxed().toList()));
    // Both versions priced claims of this rush.
    Set<Long> usedVersions = new HashSet<>();
    lead.get("claims").forEach(c -> usedVersions.add(c.get("pricingVersion").asLong()));
    assertThat(usedVersions).containsExactlyInAnyOrder(v1, v2);

    for (String id : ids) {
      long paid = won.containsKey(id) ? won.get(id).get("creditCost").asLong() : 0;
      assertThat(balance(id)).as(id).isEqualTo(10_000 - paid);
      JsonNode items =
          service
              .send("GET", "/api/accounts/" + id + "/transactions", service.admin(), null)
              .body()
              .get("items");
      assertThat(items).as(id).hasSize(won.containsKey(id) ? 2 : 1);
      if (won.containsKey(id)) {
        assertThat(items.get(1).get("type").asText()).isEqualTo("DEBIT");
        assertThat(items.get(1).get("amount").asLong()).isEqualTo(paid);
      }
    }

    // Another list, then every winner retries: the same claim, at the same price and version.
    put(list(99, 99, "2", "2", "1", "0", "1", 5, RoundingMode.UP));
    for (Map.Entry<String, JsonNode> w : won.entrySet()) {
      Reply again = claim("pr-rush", w.getKey(), "{\"maxCost\":1}");
      assertThat(again.status()).as(w.getKey()).isEqualTo(200);
      assertThat(again.replayed()).isTrue();
      assertThat(again.body().get("creditCost")).isEqualTo(w.getValue().get("creditCost"));
      assertThat(again.body().get("pricingVersion")).isEqualTo(w.getValue().get("pricingVersion"));
      assertThat(balance(w.getKey())).isEqualTo(10_000 - w.getValue().get("creditCost").asLong());
    }
    Reply audit = service.audit();
    assertThat(audit.body().get("ok").asBoolean()).as(audit.body().toString()).isTrue();
  }

  private CompletableFuture<Reply> rush(String id, long maxCost) {
    return service.sendAsync(
        "POST",
        "/api/leads/pr-rush/claim",
        tradie(id),
        maxCost > 0 ? "{\"maxCost\":" + maxCost + "}" : null,
        Map.of());
  }
}
