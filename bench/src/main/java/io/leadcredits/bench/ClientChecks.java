package io.leadcredits.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The checks after a run. First the service's own {@code GET /api/audit} must be ok. Then the
 * client's side: parked requests are re-sent until decided; every acknowledged transaction appears
 * exactly once in its account's trail; every balance is what the acknowledged changes imply (and
 * the trail's last balanceAfter); every lead has at most maxClaims claims, including every claim a
 * client was told it won.
 */
final class ClientChecks {
  /** The audit reads the whole journal; give it room on a large run. */
  private static final Duration auditTimeout = Duration.ofMinutes(5);

  private static final int resendRoundsMax = 5;
  private static final int concurrency = 32;
  private static final int trailPage = 1000;
  private static final int problemsKeptMax = 10;

  private static final ObjectMapper json = new ObjectMapper();

  /** The verdict: {@code problems} lists the first violations found, if any. */
  record Verdict(
      boolean auditOk,
      List<String> problems,
      long accountsChecked,
      long leadsChecked,
      int uncertainAccounts) {
    boolean holds() {
      return auditOk && problems.isEmpty();
    }
  }

  private final BenchContext c;
  private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

  ClientChecks(BenchContext context) {
    this.c = context;
  }

  Verdict run() throws Exception {
    resendPending();
    boolean auditOk = audit();
    List<String> accounts = new ArrayList<>(c.ledger().accounts().keySet());
    Calls.each(accounts.size(), concurrency, i -> checkAccount(accounts.get(i)));
    List<String> leads = new ArrayList<>(c.ledger().leadMaxClaims().keySet());
    Calls.each(leads.size(), concurrency, i -> checkLead(leads.get(i)));
    List<String> kept = problems.stream().limit(problemsKeptMax).toList();
    return new Verdict(auditOk, kept, accounts.size(), leads.size(), c.ledger().uncertainCount());
  }

  private void resendPending() throws InterruptedException {
    for (int round = 0; round < resendRoundsMax; round++) {
      List<Ledger.Pending> batch = new ArrayList<>();
      for (Ledger.Pending p = c.ledger().pollPending(); p != null; p = c.ledger().pollPending()) {
        batch.add(p);
      }
      if (batch.isEmpty()) {
        return;
      }
      Calls.each(
          batch.size(),
          concurrency,
          i ->
              c.http()
                  .send(batch.get(i).op().request().get())
                  .handle(
                      (r, e) -> {
                        batch.get(i).op().onStatus().accept(BenchHttp.status(r, e));
                        return null;
                      }));
    }
    for (Ledger.Pending p = c.ledger().pollPending(); p != null; p = c.ledger().pollPending()) {
      c.ledger().uncertain(p.accountId());
    }
  }

  private boolean audit() throws Exception {
    HttpResponse<byte[]> r =
        Calls.decided(c.http(), c.http().get("/api/audit", c.tokens().admin(), auditTimeout)).get();
    JsonNode body = json.readTree(r.body());
    if (r.statusCode() != 200 || !body.path("ok").asBoolean(false)) {
      problems.add("GET /api/audit: " + r.statusCode() + " " + body.path("violations"));
      return false;
    }
    return true;
  }

  private CompletableFuture<Void> checkAccount(String accountId) {
    Map<String, Long> expected = c.ledger().accounts().get(accountId);
    return trail(accountId, 0, new HashMap<>(), new long[] {Long.MIN_VALUE})
        .thenCombine(
            Calls.ok(c.http(), c.http().get("/api/accounts/" + accountId, c.tokens().admin())),
            (seen, view) -> {
              compare(accountId, expected, seen, balanceOf(view));
              return null;
            });
  }

  private void compare(String accountId, Map<String, Long> expected, Trail seen, long balance) {
    for (String key : expected.keySet()) {
      int n = seen.counts().getOrDefault(key, 0);
      if (n != 1) {
        problems.add("account " + accountId + ": acknowledged " + key + " appears " + n + " times");
      }
    }
    if (balance != seen.lastBalance() && seen.lastBalance() != Long.MIN_VALUE) {
      problems.add(
          "account " + accountId + ": balance " + balance + " != trail " + seen.lastBalance());
    }
    long implied = expected.values().stream().mapToLong(Long::longValue).sum();
    if (!c.ledger().isUncertain(accountId) && balance != implied) {
      problems.add("account " + accountId + ": balance " + balance + " != acknowledged " + implied);
    }
  }

  private record Trail(Map<String, Integer> counts, long lastBalance) {}

  private CompletableFuture<Trail> trail(
      String accountId, long after, Map<String, Integer> counts, long[] last) {
    String path =
        "/api/accounts/" + accountId + "/transactions?after=" + after + "&limit=" + trailPage;
    return Calls.ok(c.http(), c.http().get(path, c.tokens().admin()))
        .thenCompose(
            r -> {
              JsonNode page = read(r);
              for (JsonNode item : page.path("items")) {
                counts.merge(
                    item.path("type").asText() + ":" + item.path("transactionId").asText(),
                    1,
                    Integer::sum);
                last[0] = item.path("balanceAfter").asLong();
              }
              JsonNode next = page.path("next");
              return next.isNumber()
                  ? trail(accountId, next.asLong(), counts, last)
                  : CompletableFuture.completedFuture(new Trail(counts, last[0]));
            });
  }

  private CompletableFuture<Void> checkLead(String leadId) {
    int maxClaims = c.ledger().leadMaxClaims().get(leadId);
    return Calls.ok(c.http(), c.http().get("/api/leads/" + leadId, c.tokens().admin()))
        .thenAccept(
            r -> {
              JsonNode claims = read(r).path("claims");
              List<String> tradies = new ArrayList<>();
              claims.forEach(claim -> tradies.add(claim.path("tradieId").asText()));
              if (tradies.size() > maxClaims) {
                problems.add("lead " + leadId + ": " + tradies.size() + " claims > " + maxClaims);
              }
              for (String won : c.ledger().claimsOn(leadId)) {
                if (!tradies.contains(won)) {
                  problems.add("lead " + leadId + ": acknowledged claim of " + won + " missing");
                }
              }
            });
  }

  private static long balanceOf(HttpResponse<byte[]> view) {
    return read(view).path("balance").asLong();
  }

  private static JsonNode read(HttpResponse<byte[]> r) {
    try {
      return json.readTree(r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
