package io.leadcredits.report;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The liability report over HTTP on the actor engine: a mixed history (paid grants priced in two
 * currencies, promotional grants expiring soon and later, a void, debits, a capture and an open
 * hold) gives exactly the expected totals, now and as of a past time; a restart resumes the read
 * model from its stored cursor without counting anything twice; {@code asOf} follows the feed.
 */
class CreditReportTest {
  @TempDir Path dataDir;

  /**
   * The grant-changing events the mixed history makes: top-ups, debits, a capture, a void, an
   * expiry.
   */
  private static final long MIXED_EVENTS = 13;

  @Test
  void aMixedHistoryGivesExactTotalsNowAndAsOfAPastTime() {
    try (RunningService service = new RunningService(dataDir)) {
      Instant before = Instant.now();
      History h = mixedHistory(service);
      JsonNode r = caughtUp(service, MIXED_EVENTS, "");

      // r-aud 95 (3 of them held), r-nzd 30, r-bob-pack 9, r-bob-half 1; r-month 4 (held),
      // r-bob-later 5
      assertThat(r.get("outstanding").get("paid").asLong()).isEqualTo(135);
      assertThat(r.get("outstanding").get("promotional").asLong()).isEqualTo(9);
      // AUD: 15001 x 95/100 = 14250.95 -> 14251, and 3 x 1/2 = 1.5 -> 2 (half up); NZD untouched.
      assertThat(r.get("paidValue").toString())
          .isEqualTo(
              "[{\"currency\":\"AUD\",\"credits\":96,\"amountMinor\":14253},"
                  + "{\"currency\":\"NZD\",\"credits\":30,\"amountMinor\":2005}]");
      assertThat(r.get("paidCreditsWithoutPrice").asLong()).isEqualTo(9);
      JsonNode period = r.get("period");
      assertThat(period.get("expired").toString()).isEqualTo("{\"paid\":0,\"promotional\":20}");
      assertThat(period.get("voided").toString()).isEqualTo("{\"paid\":40,\"promotional\":0}");
      Instant at = Instant.parse(r.get("at").asText());
      assertThat(Instant.parse(period.get("to").asText())).isEqualTo(at);
      assertThat(Instant.parse(period.get("from").asText()))
          .isEqualTo(at.minus(Duration.ofDays(30)));
      JsonNode expiring = r.get("expiring");
      assertThat(expiring.get("paid").asLong()).isZero();
      assertThat(expiring.get("promotional").asLong()).isEqualTo(4); // r-bob-later is 45 days away
      assertThat(Instant.parse(expiring.get("until").asText()))
          .isEqualTo(at.plus(Duration.ofDays(30)));
      assertThat(r.get("asOf").get("caughtUp").asBoolean()).isTrue();

      // As of the moment r-ann's history was done: nothing of r-bob's yet, r-soon expired only if
      // its expiry had passed by then.
      Instant mid = h.annDone();
      long soon = mid.isBefore(h.soonExpiry()) ? 20 : 0;
      JsonNode past = report(service, "?at=" + mid);
      assertThat(past.get("outstanding").toString())
          .isEqualTo("{\"paid\":125,\"promotional\":" + (4 + soon) + "}");
      assertThat(past.get("paidValue").toString())
          .isEqualTo(
              "[{\"currency\":\"AUD\",\"credits\":95,\"amountMinor\":14251},"
                  + "{\"currency\":\"NZD\",\"credits\":30,\"amountMinor\":2005}]");
      assertThat(past.get("paidCreditsWithoutPrice").asLong()).isZero();
      assertThat(past.get("period").get("voided").get("paid").asLong()).isZero();
      assertThat(past.get("expiring").get("promotional").asLong()).isEqualTo(4 + soon);
      JsonNode empty = report(service, "?at=" + before);
      assertThat(empty.get("outstanding").toString()).isEqualTo("{\"paid\":0,\"promotional\":0}");
      assertThat(empty.get("paidValue")).isEmpty();

      // A period that holds the void but not the expiry.
      JsonNode voidOnly =
          report(service, "?from=" + before + "&to=" + h.soonExpiry().minusMillis(1));
      assertThat(voidOnly.get("period").get("voided").get("paid").asLong()).isEqualTo(40);
      assertThat(voidOnly.get("period").get("expired").get("promotional").asLong()).isZero();
      assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
    }
  }

  @Test
  void aRestartResumesFromTheStoredCursorWithoutCountingTwiceAndAsOfAdvances() {
    RunningService service = new RunningService(dataDir);
    try {
      mixedHistory(service);
      JsonNode first = caughtUp(service, MIXED_EVENTS, "");
      service.stop();
      service.start();
      JsonNode again = caughtUp(service, MIXED_EVENTS, "");
      // caughtUp asserted the same events applied: a replay from the start would have doubled them.
      assertThat(again.get("asOf").get("lastEventId"))
          .isEqualTo(first.get("asOf").get("lastEventId"));
      assertThat(again.get("outstanding")).isEqualTo(first.get("outstanding"));
      assertThat(again.get("paidValue")).isEqualTo(first.get("paidValue"));
      assertThat(again.get("period").get("expired")).isEqualTo(first.get("period").get("expired"));
      assertThat(again.get("period").get("voided")).isEqualTo(first.get("period").get("voided"));

      // A new top-up after the restart: counted once, and asOf moves to its event.
      Reply topUp =
          post(
              service,
              "/api/accounts/r-cat/credits",
              "{\"amount\":50,\"transactionId\":\"r-cat-pack\",\"price\":{\"amountMinor\":7000,"
                  + "\"currency\":\"AUD\"}}");
      assertThat(topUp.status()).isEqualTo(200);
      JsonNode after = caughtUp(service, MIXED_EVENTS + 1, "");
      assertThat(after.get("outstanding").get("paid").asLong()).isEqualTo(135 + 50);
      assertThat(after.get("paidValue").get(0).get("amountMinor").asLong()).isEqualTo(14253 + 7000);
      JsonNode asOf = after.get("asOf");
      assertThat(asOf.get("cursor")).isNotEqualTo(first.get("asOf").get("cursor"));
      assertThat(Instant.parse(asOf.get("lastEventAt").asText()))
          .isAfterOrEqualTo(Instant.parse(first.get("asOf").get("lastEventAt").asText()));
      JsonNode events =
          service
              .send("GET", "/api/events?type=credit.credited&limit=1000", service.admin(), null)
              .body()
              .get("items");
      JsonNode last = events.get(events.size() - 1);
      assertThat(last.get("data").get("grantId").asText()).isEqualTo("r-cat-pack");
      assertThat(asOf.get("lastEventId").asText()).isEqualTo(last.get("id").asText());
    } finally {
      service.close();
    }
  }

  @Test
  void badParametersAreRefusedAndOnlyAnAdminMayRead() {
    try (RunningService service = new RunningService(dataDir)) {
      String admin = service.admin();
      String future = Instant.now().plus(1, ChronoUnit.HOURS).toString();
      for (String query :
          new String[] {
            "?at=" + future,
            "?at=yesterday",
            "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
            "?from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
            "?to=2026-01-01T00:00:00"
          }) {
        Reply r = service.send("GET", "/api/reports/credits" + query, admin, null);
        assertThat(r.status()).as(query).isEqualTo(400);
        assertThat(r.body().get("code").asText()).as(query).isEqualTo("INVALID_REQUEST");
      }
      String tradie = service.token("r-someone", Role.TRADIE);
      assertThat(service.send("GET", "/api/reports/credits", tradie, null).status()).isEqualTo(403);
      JsonNode none = report(service, "");
      assertThat(none.get("asOf").get("lastEventAt").isNull()).isTrue();
      assertThat(none.get("asOf").get("eventsApplied").asLong()).isZero();
      assertThat(none.get("outstanding").toString()).isEqualTo("{\"paid\":0,\"promotional\":0}");
    }
  }

  /**
   * Random top-ups (paid with and without a price in two currencies, promotional expiring within or
   * beyond 30 days), debits, holds captured, released or left open, and voids over a few accounts:
   * once caught up, the report agrees with the accounts' own views, grant by grant.
   */
  @Test
  void randomOperationsAgreeWithTheAccountsOwnViews() {
    long seed = System.nanoTime();
    java.util.Random random = new java.util.Random(seed);
    String why = "seed " + seed;
    try (RunningService service = new RunningService(dataDir)) {
      java.util.List<String> accounts = java.util.List.of("q-a", "q-b", "q-c", "q-d");
      java.util.Map<String, long[]> prices = new java.util.HashMap<>(); // grantId -> {minor}
      java.util.Map<String, String> currencies = new java.util.HashMap<>();
      java.util.List<String[]> grants = new java.util.ArrayList<>(); // {account, grantId}
      java.util.List<String[]> holds = new java.util.ArrayList<>(); // {account, holdId}
      for (int i = 0; i < 160; i++) {
        String a = accounts.get(random.nextInt(accounts.size()));
        String base = "/api/accounts/" + a;
        String id = "q" + i;
        int op = random.nextInt(10);
        if (op <= 2) {
          long amount = 1 + random.nextInt(100);
          String body = "{\"amount\":" + amount + ",\"transactionId\":\"" + id + "\"";
          if (op == 0) {
            long minor = random.nextInt(20_001);
            String currency = random.nextBoolean() ? "AUD" : "NZD";
            prices.put(id, new long[] {minor});
            currencies.put(id, currency);
            body += ",\"price\":{\"amountMinor\":" + minor + ",\"currency\":\"" + currency + "\"}";
          } else if (op == 2) {
            Instant expiry = Instant.now().plus(1 + random.nextInt(60), ChronoUnit.DAYS);
            body += ",\"category\":\"promotional\",\"expiresAt\":\"" + expiry + "\"";
          }
          body += ",\"priority\":" + random.nextInt(101) + "}";
          ok(service, base + "/credits", body);
          grants.add(new String[] {a, id});
        } else if (op <= 4) {
          int status =
              post(
                      service,
                      base + "/debits",
                      "{\"amount\":"
                          + (1 + random.nextInt(60))
                          + ",\"transactionId\":\""
                          + id
                          + "\"}")
                  .status();
          assertThat(status).as(why).isIn(200, 402);
        } else if (op <= 6) {
          Reply held =
              post(
                  service,
                  base + "/reservations",
                  "{\"amount\":"
                      + (1 + random.nextInt(30))
                      + ",\"transactionId\":\""
                      + id
                      + "\",\"ttlSeconds\":3600}");
          assertThat(held.status()).as(why).isIn(201, 402);
          if (held.status() == 201) {
            holds.add(new String[] {a, id});
          }
        } else if (op <= 8 && !holds.isEmpty()) {
          String[] h = holds.remove(random.nextInt(holds.size()));
          String path = "/api/accounts/" + h[0] + "/reservations/" + h[1];
          Reply ended =
              op == 7
                  ? post(service, path + "/capture", null)
                  : service.send("DELETE", path, service.admin(), null);
          assertThat(ended.status()).as(why).isEqualTo(200);
        } else if (!grants.isEmpty()) {
          String[] g = grants.get(random.nextInt(grants.size()));
          Reply voided =
              post(
                  service,
                  "/api/accounts/" + g[0] + "/grants/" + g[1] + "/void",
                  "{\"transactionId\":\"" + id + "\",\"reason\":\"chargeback\"}");
          assertThat(voided.status()).as(why).isIn(200, 404, 409);
        }
      }
      JsonNode[] last = new JsonNode[1];
      Await.until(
          Duration.ofSeconds(60),
          "the report caught up",
          () -> (last[0] = report(service, "")).get("asOf").get("caughtUp").asBoolean());
      JsonNode r = last[0];
      Instant at = Instant.parse(r.get("at").asText());
      long paid = 0;
      long promotional = 0;
      long withoutPrice = 0;
      long expiring = 0;
      java.util.Map<String, long[]> values =
          new java.util.TreeMap<>(); // currency -> {credits, minor}
      for (String a : accounts) {
        Reply view = service.account(a);
        if (view.status() == 404) {
          continue;
        }
        JsonNode v = view.body();
        paid += v.get("byCategory").get("paid").asLong();
        promotional += v.get("byCategory").get("promotional").asLong();
        for (JsonNode g : v.get("grants")) {
          long owed = g.get("remaining").asLong() + g.get("earmarked").asLong();
          String grantId = g.get("grantId").asText();
          if (!g.get("expiresAt").isNull()) {
            Instant expiresAt = Instant.parse(g.get("expiresAt").asText());
            if (expiresAt.isAfter(at) && !expiresAt.isAfter(at.plus(Duration.ofDays(30)))) {
              expiring += owed;
            }
          }
          if (g.get("category").asText().equals("paid")) {
            if (prices.containsKey(grantId)) {
              long granted = g.get("granted").asLong();
              long value =
                  java.math.BigInteger.valueOf(prices.get(grantId)[0])
                      .multiply(java.math.BigInteger.valueOf(2 * owed))
                      .add(java.math.BigInteger.valueOf(granted))
                      .divide(java.math.BigInteger.valueOf(2 * granted))
                      .longValueExact();
              long[] sum = values.computeIfAbsent(currencies.get(grantId), c -> new long[2]);
              sum[0] += owed;
              sum[1] += value;
            } else {
              withoutPrice += owed;
            }
          }
        }
      }
      assertThat(r.get("outstanding").get("paid").asLong()).as(why).isEqualTo(paid);
      assertThat(r.get("outstanding").get("promotional").asLong()).as(why).isEqualTo(promotional);
      assertThat(r.get("paidCreditsWithoutPrice").asLong()).as(why).isEqualTo(withoutPrice);
      assertThat(
              r.get("expiring").get("paid").asLong()
                  + r.get("expiring").get("promotional").asLong())
          .as(why)
          .isEqualTo(expiring);
      StringBuilder expected = new StringBuilder("[");
      values.forEach(
          (currency, sum) -> {
            if (sum[0] > 0) {
              expected
                  .append(expected.length() > 1 ? "," : "")
                  .append("{\"currency\":\"")
                  .append(currency)
                  .append("\",\"credits\":")
                  .append(sum[0])
                  .append(",\"amountMinor\":")
                  .append(sum[1])
                  .append("}");
            }
          });
      assertThat(r.get("paidValue").toString()).as(why).isEqualTo(expected.append("]").toString());
      assertThat(service.audit().body().get("ok").asBoolean()).as(why).isTrue();
    }
  }

  /** When r-ann's part was done, and when r-soon expires. */
  private record History(Instant annDone, Instant soonExpiry) {}

  private static History mixedHistory(RunningService s) {
    String ann = "/api/accounts/r-ann";
    ok(
        s,
        ann + "/credits",
        "{\"amount\":100,\"transactionId\":\"r-aud\",\"price\":{\"amountMinor\":15001,\"currency\":\"AUD\"}}");
    ok(
        s,
        ann + "/credits",
        "{\"amount\":30,\"transactionId\":\"r-nzd\",\"price\":{\"amountMinor\":2005,\"currency\":\"NZD\"}}");
    Instant soon = Instant.now().plusSeconds(5);
    ok(
        s,
        ann + "/credits",
        "{\"amount\":20,\"transactionId\":\"r-soon\",\"category\":\"promotional\",\"priority\":90,\"expiresAt\":\""
            + soon
            + "\"}");
    Instant month = Instant.now().plus(10, ChronoUnit.DAYS);
    ok(
        s,
        ann + "/credits",
        "{\"amount\":12,\"transactionId\":\"r-month\",\"category\":\"promotional\",\"priority\":10,\"expiresAt\":\""
            + month
            + "\"}");
    ok(s, ann + "/debits", "{\"amount\":8,\"transactionId\":\"r-d1\"}"); // r-month 8
    assertThat(
            post(
                    s,
                    ann + "/reservations",
                    "{\"amount\":7,\"transactionId\":\"r-h1\",\"ttlSeconds\":3600}")
                .status())
        .isEqualTo(201); // r-month 4 and r-aud 3, held: still owed
    assertThat(post(s, ann + "/reservations", "{\"amount\":5,\"transactionId\":\"r-h2\"}").status())
        .isEqualTo(201);
    ok(s, ann + "/reservations/r-h2/capture", null); // r-aud 5 spent
    Instant annDone = Instant.now();
    String bob = "/api/accounts/r-bob";
    ok(
        s,
        bob + "/credits",
        "{\"amount\":40,\"transactionId\":\"r-chargeback\",\"price\":{\"amountMinor\":5000,\"currency\":\"AUD\"}}");
    ok(
        s,
        bob + "/grants/r-chargeback/void",
        "{\"transactionId\":\"r-v1\",\"reason\":\"chargeback\"}");
    ok(s, bob + "/credits", "{\"amount\":9,\"transactionId\":\"r-bob-pack\"}");
    ok(
        s,
        bob + "/credits",
        "{\"amount\":2,\"transactionId\":\"r-bob-half\",\"priority\":0,\"price\":{\"amountMinor\":3,\"currency\":\"AUD\"}}");
    Instant later = Instant.now().plus(45, ChronoUnit.DAYS);
    ok(
        s,
        bob + "/credits",
        "{\"amount\":5,\"transactionId\":\"r-bob-later\",\"category\":\"promotional\",\"expiresAt\":\""
            + later
            + "\"}");
    ok(s, bob + "/debits", "{\"amount\":1,\"transactionId\":\"r-d2\"}"); // r-bob-half 1
    return new History(annDone, soon);
  }

  /** The report once the read model has applied {@code events} and nothing newer is in the feed. */
  private static JsonNode caughtUp(RunningService s, long events, String query) {
    JsonNode[] last = new JsonNode[1];
    Await.until(
        Duration.ofSeconds(60),
        "the report applied " + events + " events and caught up",
        () -> {
          last[0] = report(s, query);
          JsonNode asOf = last[0].get("asOf");
          return asOf.get("caughtUp").asBoolean() && asOf.get("eventsApplied").asLong() >= events;
        });
    assertThat(last[0].get("asOf").get("eventsApplied").asLong()).isEqualTo(events);
    return last[0];
  }

  private static JsonNode report(RunningService s, String query) {
    Reply r = s.send("GET", "/api/reports/credits" + query, s.admin(), null);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r.body();
  }

  private static void ok(RunningService s, String path, String body) {
    Reply r = post(s, path, body);
    assertThat(r.status()).as(path + " " + body + " -> " + r.body()).isEqualTo(200);
  }

  private static Reply post(RunningService s, String path, String body) {
    return s.send("POST", path, s.admin(), body);
  }
}
