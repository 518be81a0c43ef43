package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.support.Await;
import io.leadcredits.support.JwtTokens;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.LedgerSnapshot;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.OperationLog.Operation;
import io.leadcredits.testkit.OperationLog.Outcome;
import io.leadcredits.testkit.Request;
import io.leadcredits.testkit.ServiceProcess;
import io.leadcredits.testkit.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault 1 of issue 4: the service, a child JVM on its embedded PostgreSQL, is SIGKILLed while
 * clients are claiming leads, topping up, debiting, reserving and capturing, and started again on
 * the same data, several times. After every restart the {@link OperationLog} checks that nothing
 * acknowledged was lost or applied twice, nothing refused was applied, and every invariant holds;
 * at the end every acknowledged request is sent again and must change nothing, and the offline
 * {@code leadcredits verify} must find the journal clean. Besides paid top-ups, the load grants
 * promotional credits that expire within seconds, so expiries fall due across the kills and are
 * recorded by the durable wake-ups of the restarted service. Tradies ask for refunds of confirmed
 * claims, which the admin approves (in full or in part) or rejects, and the admin voids leads of
 * earlier rounds that have confirmed claims; the credits that follow an approval or a void are
 * resumed after each kill, and the log checks each is credited exactly once (none for a rejection).
 */
class KillUnderLoadTest {
  private static final Logger log = LoggerFactory.getLogger(KillUnderLoadTest.class);

  private static final String JWT_SECRET = "kill-under-load-test-secret-0123456789abcdef";
  private static final Tokens tokens = JwtTokens.of(JWT_SECRET);

  /** Long enough that no hold expires during the test: every open hold must stay open. */
  private static final long holdTtlSeconds = 3_600;

  private static final Duration resolveDeadline = Duration.ofSeconds(30);

  @TempDir Path dir;
  private ServiceProcess service;

  /** How hard and how often: the default run fits the CI budget, the slow one digs deeper. */
  record Plan(
      int kills,
      int tradies,
      int workers,
      int leadsPerRound,
      int voidablePerRound,
      Duration loadMin,
      Duration loadMax,
      long seed) {}

  @AfterEach
  void stopService() {
    if (service != null) {
      service.close();
    }
    ServiceProcess.stopOrphanedPostgres(dir.resolve("data"));
  }

  @Test
  void nothingAcknowledgedIsLostOrDoubledAcrossSigkillsUnderLoad() throws Exception {
    run(new Plan(3, 16, 6, 4, 1, Duration.ofMillis(1000), Duration.ofMillis(2000), 4242));
  }

  @Test
  @Tag("slow")
  void nothingAcknowledgedIsLostOrDoubledAcrossManySigkillsUnderHeavyLoad() throws Exception {
    run(new Plan(10, 40, 16, 8, 2, Duration.ofMillis(2000), Duration.ofMillis(8000), 777));
  }

  private void run(Plan plan) throws Exception {
    long started = System.nanoTime();
    Path data = dir.resolve("data");
    Path serviceLog = dir.resolve("service.log");
    Random random = new Random(plan.seed());
    OperationLog ops = new OperationLog();
    List<String> tradies = new ArrayList<>();
    for (int i = 0; i < plan.tradies(); i++) {
      tradies.add("t" + i);
    }
    service = ServiceProcess.start(data, tokens, serviceLog);
    for (String t : tradies) {
      Outcome seeded =
          ops.sendUntilDefinite(
                  service.api(), Operation.credit(t, "seed-" + t, 300), resolveDeadline)
              .outcome();
      assertThat(seeded).isEqualTo(Outcome.OK);
    }

    Refunds refunds = new Refunds();
    for (int round = 1; round <= plan.kills(); round++) {
      List<String> leads = createLeads(ops, round, plan.leadsPerRound(), random, refunds.costs);
      // Voidable leads get no refund requests: a void overrides a rejection and refuses a winner's
      // retry, so their claims are checked by the void's rules alone.
      for (int i = 0; i < plan.voidablePerRound(); i++) {
        refunds.voidable.add(leads.get(i));
      }
      refunds.prepare(ops, round);
      // Promotional grants expire within seconds, across the kills; none in the last round, so
      // every expiry is recorded (by the durable wake-ups) before the final replay and its reads.
      boolean promotions = round < plan.kills();
      Load load = Load.start(plan, round, service.api(), ops, tradies, leads, promotions, refunds);
      long loadMillis =
          plan.loadMin().toMillis()
              + random.nextLong(plan.loadMax().toMillis() - plan.loadMin().toMillis() + 1);
      load.awaitAcknowledged(20, Duration.ofSeconds(30));
      // Not a wait for a condition: the load runs for a random time, so the kill lands anywhere.
      Thread.sleep(loadMillis);
      // No new requests from here; those in flight are cut short by the kill.
      load.stopSending();
      int exit = service.kill();
      assertThat(exit)
          .as("the service died of SIGKILL")
          .isEqualTo(ServiceProcess.SIGKILL_EXIT_STATUS);
      long sent = load.awaitStopped();
      log.warn(
          "round {}: killed after {} ms and {} requests, at {} s",
          round,
          loadMillis,
          sent,
          elapsed(started));

      service = ServiceProcess.start(data, tokens, serviceLog);
      log.warn("round {}: ready again at {} s", round, elapsed(started));
      assertThat(ops.resolveUnknown(service.api(), resolveDeadline))
          .as("every unknown outcome resolves by retrying with the same transaction id")
          .isEmpty();
      assertInvariants(ops);
    }

    log.warn("all rounds checked at {} s", elapsed(started));
    awaitRefundsCredited(service.api(), ops);
    awaitExpiriesRecorded(service.api(), ops);
    LedgerSnapshot before = ops.read(service.api());
    assertThat(ops.resendAcknowledged(service.api(), plan.workers()))
        .as("re-sent acknowledged requests answer as replays")
        .isEmpty();
    assertThat(ops.read(service.api())).as("re-sending changed nothing").isEqualTo(before);
    assertInvariants(ops);

    Map<Outcome, Long> counts = ops.counts();
    log.warn(
        "outcomes {}, unknown answers seen {}, refusals {}, trail entries {}",
        counts,
        ops.unknownsSeen(),
        ops.failureCodes(),
        before.eventCount());
    assertThat(counts.get(Outcome.OK)).as("the load did real work").isGreaterThan(100);
    Map<String, Long> refundWork = refundWork(ops);
    log.warn("refunds and voids acknowledged {}", refundWork);
    assertThat(refundWork)
        .as("refunds approved in full and in part, rejected, and leads voided, under the kills")
        .containsOnlyKeys("requested", "approved", "approvedInPart", "rejected", "voided");
    assertThat(ops.unknownsSeen()).as("the kills landed on requests in flight").isPositive();
    assertThat(ops.failureCodes(op -> op.promotionExpiresAt() == null).keySet())
        .as("only the refusals the load provokes")
        .allMatch(c -> c.equals("402 INSUFFICIENT_CREDITS") || c.equals("409 LEAD_FULL"));
    // A promotion first answered unknown and retried after its expiry is refused, never applied.
    assertThat(ops.failureCodes(op -> op.promotionExpiresAt() != null).keySet())
        .as("promotions are refused only for their expiry")
        .allMatch(c -> c.equals("400 INVALID_REQUEST"));
    assertThat(promotionsExpired(service.api(), tradies))
        .as("promotional credits expired, recorded across the kills")
        .isPositive();

    // SIGTERM runs the shutdown hooks (coordinated shutdown, then the database), and the JVM then
    // reports the signal: 128 + 15.
    assertThat(service.stop()).as("graceful stop").isEqualTo(ServiceProcess.SIGTERM_EXIT_STATUS);
    log.warn("checked and stopped at {} s", elapsed(started));
    Path verifyLog = dir.resolve("verify.log");
    assertThat(ServiceProcess.run(List.of("verify"), data, JWT_SECRET, verifyLog))
        .as("leadcredits verify: %s", Files.readString(verifyLog))
        .isZero();
    log.warn("verified at {} s", elapsed(started));
  }

  /** The refund operations and voids acknowledged, by what they did. */
  private static Map<String, Long> refundWork(OperationLog ops) {
    Map<String, Long> work = new java.util.TreeMap<>();
    for (OperationLog.Result r : ops.results()) {
      if (r.outcome() != Outcome.OK) {
        continue;
      }
      Operation op = r.operation();
      String what =
          switch (op.kind()) {
            case REFUND_REQUEST -> "requested";
            case REFUND_APPROVE -> op.amount() == 0 ? "approved" : "approvedInPart";
            case REFUND_REJECT -> "rejected";
            case LEAD_VOID -> "voided";
            default -> null;
          };
      if (what != null) {
        work.merge(what, 1L, Long::sum);
      }
    }
    return work;
  }

  /**
   * An approval's credit, and a voided lead's refunds, follow the answer and are resumed after a
   * restart (recovery and the durable wake-ups): polled, within a bound, until the trails show
   * them; whatever is still missing then is named by the ledger check.
   */
  private static void awaitRefundsCredited(HttpApi api, OperationLog ops)
      throws InterruptedException {
    long end = System.nanoTime() + resolveDeadline.toNanos();
    List<String> owed = ops.refundsOwed(ops.read(api));
    while (!owed.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(100); // polling interval; the loop re-reads the trails
      owed = ops.refundsOwed(ops.read(api));
    }
    if (!owed.isEmpty()) {
      log.warn("refunds still owed after {}: {}", resolveDeadline, owed);
    }
  }

  /**
   * A view already leaves out a promotion past its expiry; its trail shows it once the durable
   * wake-up recorded the GRANT_EXPIRED (within a second or so of the due time, or of a restart).
   * The ledger checks compare views with trails, so they wait for that first.
   */
  private static void awaitExpiriesRecorded(HttpApi api, OperationLog ops) {
    Await.until(
        resolveDeadline,
        "every due expiry recorded",
        () -> {
          LedgerSnapshot ledger = ops.read(api);
          return ledger.accounts().entrySet().stream()
              .allMatch(
                  a -> {
                    var trail = ledger.trails().get(a.getKey());
                    long last =
                        trail == null || trail.isEmpty()
                            ? 0
                            : trail.get(trail.size() - 1).balanceAfter();
                    return a.getValue().get("balance").asLong() == last;
                  });
        });
  }

  /** The GRANT_EXPIRED entries in the tradies' trails. */
  private static long promotionsExpired(HttpApi api, List<String> tradies) {
    long expired = 0;
    for (String t : tradies) {
      for (var item : api.get("/api/accounts/" + t + "/transactions?limit=1000").get("items")) {
        if (item.get("type").asText().equals("GRANT_EXPIRED")) {
          expired++;
        }
      }
    }
    return expired;
  }

  private static long elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
  }

  private void assertInvariants(OperationLog ops) throws InterruptedException {
    HttpApi api = service.api();
    awaitRefundsCredited(api, ops);
    awaitExpiriesRecorded(api, ops);
    assertThat(api.get("/api/audit").get("ok").asBoolean())
        .as("/api/audit: %s", api.get("/api/audit"))
        .isTrue();
    assertThat(ops.check(ops.read(api), Instant.now())).isEmpty();
  }

  private List<String> createLeads(
      OperationLog ops, int round, int count, Random random, Map<String, Long> costs)
      throws InterruptedException {
    List<String> leads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String leadId = "r" + round + "-lead" + i;
      long cost = 10 + random.nextInt(21);
      int maxClaims = 1 + random.nextInt(4);
      create(service.api(), leadId, cost, maxClaims);
      ops.lead(leadId, cost, maxClaims);
      costs.put(leadId, cost);
      leads.add(leadId);
    }
    return leads;
  }

  /** Lead creation is set-up, not load: retried until the service says it exists. */
  private static void create(HttpApi api, String leadId, long cost, int maxClaims)
      throws InterruptedException {
    Request create = Request.createLead(api.admin(), leadId, cost, maxClaims);
    long end = System.nanoTime() + resolveDeadline.toNanos();
    while (true) {
      try {
        int status = api.send(create).status();
        if (status == 201 || status == 200) {
          return;
        }
        assertThat(status).as("creating a lead: " + create.body()).isGreaterThanOrEqualTo(500);
      } catch (IOException e) {
        // no answer: try again
      }
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "lead not created within " + resolveDeadline + ": " + create.body());
      }
      Thread.sleep(250); // back off before the retry; the loop re-checks the answer
    }
  }

  /**
   * What the load may refund and void, shared across the rounds: confirmed claims not yet asked
   * about (on leads that are not voidable), and voidable leads of earlier rounds with a confirmed
   * claim. A claim or a void is taken from its queue once, so each is sent once (and re-sent only
   * with the same ids, to resolve an unknown outcome).
   */
  private static final class Refunds {
    final Set<String> voidable = ConcurrentHashMap.newKeySet();
    final Map<String, Long> costs = new ConcurrentHashMap<>();
    private final Set<String> offered = ConcurrentHashMap.newKeySet();
    private final Set<String> voidOffered = ConcurrentHashMap.newKeySet();
    final Queue<String[]> claims = new ConcurrentLinkedQueue<>();
    final Queue<String> voids = new ConcurrentLinkedQueue<>();
    final AtomicLong decisions = new AtomicLong();

    /** Offers the claims confirmed so far (unknowns resolved since included) and the voids. */
    void prepare(OperationLog ops, int round) {
      for (OperationLog.Result r : ops.results()) {
        Operation op = r.operation();
        if (op.kind() == OperationLog.Kind.CLAIM && r.outcome() == Outcome.OK) {
          confirmed(op.leadId(), op.accountId());
          if (voidable.contains(op.leadId())
              && !op.leadId().startsWith("r" + round + "-")
              && voidOffered.add(op.leadId())) {
            voids.add(op.leadId());
          }
        }
      }
    }

    /** A claim answered ok: its tradie may ask for a refund, unless its lead may be voided. */
    void confirmed(String leadId, String tradieId) {
      if (!voidable.contains(leadId) && offered.add(leadId + "/" + tradieId)) {
        claims.add(new String[] {leadId, tradieId});
      }
    }
  }

  /**
   * Worker threads sending random operations with unique transaction ids until stopped. Each tradie
   * claims each lead at most once, so every claim is its own operation.
   */
  private static final class Load {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();
    private final boolean promotions;
    private final Refunds refunds;

    private Load(boolean promotions, Refunds refunds) {
      this.promotions = promotions;
      this.refunds = refunds;
    }

    static Load start(
        Plan plan,
        int round,
        HttpApi api,
        OperationLog ops,
        List<String> tradies,
        List<String> leads,
        boolean promotions,
        Refunds refunds) {
      Load load = new Load(promotions, refunds);
      for (int w = 0; w < plan.workers(); w++) {
        String prefix = "r" + round + "w" + w + "n";
        Random random = new Random(plan.seed() * 1_000 + round * 100L + w);
        Thread t =
            new Thread(() -> load.work(prefix, random, api, ops, tradies, leads), "load-" + w);
        load.threads.add(t);
        t.start();
      }
      return load;
    }

    private void work(
        String prefix,
        Random random,
        HttpApi api,
        OperationLog ops,
        List<String> tradies,
        List<String> leads) {
      long n = 0;
      while (running.get()) {
        String tradie = tradies.get(random.nextInt(tradies.size()));
        String tx = prefix + n++;
        int pick = random.nextInt(100);
        // Each worker's sixth request of a round voids a lead, if one is waiting: amid the load,
        // and in every round that has one, however short the round.
        String voiding = n == 6 ? refunds.voids.poll() : null;
        if (voiding != null) {
          record(ops.send(api, Operation.voidLead(voiding)));
        } else if (pick < 30) {
          String lead = leads.get(random.nextInt(leads.size()));
          if (claimed.add(lead + "/" + tradie)
              && record(ops.send(api, Operation.claim(lead, tradie)))) {
            refunds.confirmed(lead, tradie);
          }
        } else if (pick < 38 && promotions) {
          Instant expiresAt = Instant.now().plusMillis(1_000 + random.nextInt(3_000));
          record(
              ops.send(
                  api, Operation.promotion(tradie, "p-" + tx, 1 + random.nextInt(60), expiresAt)));
        } else if (pick < 45) {
          record(ops.send(api, Operation.credit(tradie, "c-" + tx, 1 + random.nextInt(60))));
        } else if (pick < 65) {
          record(ops.send(api, Operation.debit(tradie, "d-" + tx, 1 + random.nextInt(50))));
        } else if (pick < 72) {
          refund(random, api, ops);
        } else {
          reserveAndEnd(random, api, ops, tradie, "h-" + tx);
        }
      }
    }

    /** A refund asked for, then approved in full or in part, rejected, or left pending. */
    private void refund(Random random, HttpApi api, OperationLog ops) {
      String[] claim = refunds.claims.poll();
      if (claim == null) {
        return;
      }
      String lead = claim[0];
      String tradie = claim[1];
      if (!record(ops.send(api, Operation.requestRefund(lead, tradie)))) {
        return;
      }
      // In turn, not at random: a short run still decides every way.
      long decision = refunds.decisions.getAndIncrement() % 4;
      if (decision == 0) {
        record(ops.send(api, Operation.approveRefund(lead, tradie, 0)));
      } else if (decision == 1) {
        long part = 1 + random.nextInt((int) refunds.costs.get(lead).longValue() - 1);
        record(ops.send(api, Operation.approveRefund(lead, tradie, part)));
      } else if (decision == 2) {
        record(ops.send(api, Operation.rejectRefund(lead, tradie)));
      }
    }

    /** A hold, then most often captured, sometimes released, sometimes left open. */
    private void reserveAndEnd(
        Random random, HttpApi api, OperationLog ops, String tradie, String holdId) {
      long amount = 1 + random.nextInt(30);
      if (!record(ops.send(api, Operation.reserve(tradie, holdId, amount, holdTtlSeconds)))) {
        return;
      }
      int end = random.nextInt(100);
      if (end < 60) {
        record(ops.send(api, Operation.capture(tradie, holdId)));
      } else if (end < 85) {
        record(ops.send(api, Operation.release(tradie, holdId)));
      }
    }

    private boolean record(OperationLog.Result r) {
      sent.incrementAndGet();
      boolean ok = r.outcome() == Outcome.OK;
      if (ok) {
        acknowledged.incrementAndGet();
      }
      return ok;
    }

    /** Waits until the service has acknowledged some load, so the kill lands mid-load. */
    void awaitAcknowledged(long count, Duration deadline) {
      Await.until(deadline, count + " operations acknowledged", () -> acknowledged.get() >= count);
    }

    /** Workers finish the request they are sending and start no other. */
    void stopSending() {
      running.set(false);
    }

    /** Waits for the workers to finish and returns how many requests they sent. */
    long awaitStopped() throws InterruptedException {
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(30).toMillis());
      }
      return sent.get();
    }
  }
}
