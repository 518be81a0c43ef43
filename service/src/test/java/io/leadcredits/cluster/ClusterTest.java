package io.leadcredits.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.support.Await;
import io.leadcredits.support.LocalCluster;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.OperationLog.Operation;
import io.leadcredits.testkit.OperationLog.Outcome;
import io.leadcredits.testkit.Request;
import io.leadcredits.testkit.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three real nodes on loopback sharing one PostgreSQL: requests to any node reach the one live
 * entity, a lead rushed from every node sells exactly maxClaims slots, and when a node is SIGKILLed
 * under load its accounts and leads come back on the others with nothing acknowledged lost or
 * doubled, its due holds expiring and its unfinished claims finishing.
 */
class ClusterTest {
  private static final Logger log = LoggerFactory.getLogger(ClusterTest.class);

  private static final Duration resolveDeadline = Duration.ofSeconds(60);

  @TempDir Path dir;
  private LocalCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void threeNodesKeepEveryBalanceExactThroughAHotLeadAndASigkill() throws Exception {
    long started = System.nanoTime();
    cluster = LocalCluster.start("three-nodes-sigkill", 3, dir);
    log.warn("3 nodes up at {} s", elapsed(started));
    OperationLog ops = new OperationLog();
    List<HttpApi> apis = List.of(cluster.api(0), cluster.api(1), cluster.api(2));
    List<String> tradies = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String t = "t" + i;
      tradies.add(t);
      Operation seed = Operation.credit(t, "seed-" + t, 300);
      assertThat(ops.sendUntilDefinite(apis.get(i % 3), seed, resolveDeadline).outcome())
          .isEqualTo(Outcome.OK);
    }

    rushHotLead(ops, apis, tradies, "hot", 3);
    assertEveryNodeHostsShards();

    // Holds due in two seconds, taken through every node: whichever node owns their account when
    // they fall due, the killed one included, their expiry must be recorded.
    List<Operation> shortHolds = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      Operation hold = Operation.reserve(tradies.get(i), "short-" + i, 5, 2);
      assertThat(ops.sendUntilDefinite(apis.get(i % 3), hold, resolveDeadline).outcome())
          .isEqualTo(Outcome.OK);
      shortHolds.add(hold);
    }

    List<String> leads = createLeads(ops, apis.get(0), "lead", 4);
    ClusterLoad load = ClusterLoad.start(6, 11, apis, ops, tradies, leads, 3_600);
    load.awaitMoreAcknowledged(60, Duration.ofSeconds(60));
    int exit = cluster.node(2).kill();
    load.remove(2);
    assertThat(exit).isEqualTo(ServiceProcess.SIGKILL_EXIT_STATUS);
    log.warn("node 3 killed at {} s after {} acknowledged", elapsed(started), load.acknowledged());

    // The resolver downs the dead node after stable-after; its shards then start on the others.
    cluster.awaitUpMembers(2, 0);
    load.awaitMoreAcknowledged(60, Duration.ofSeconds(60));
    load.stop();
    log.warn("survivors took over at {} s; answers {}", elapsed(started), load.answers());

    assertThat(ops.resolveUnknown(apis.get(0), resolveDeadline))
        .as("every unknown outcome resolves on the survivors")
        .isEmpty();
    for (Operation hold : shortHolds) {
      Await.until(
          Duration.ofSeconds(30),
          hold.transactionId() + " expired and recorded",
          () -> trailHas(apis.get(1), hold.accountId(), "EXPIRE", hold.transactionId()));
    }
    assertInvariants(ops, apis.get(1));
    assertThat(ops.read(apis.get(0)))
        .as("both survivors see the same ledger")
        .isEqualTo(ops.read(apis.get(1)));
    assertThat(ops.unknownsSeen()).as("the kill landed on requests in flight").isPositive();
    assertThat(ops.failureCodes().keySet())
        .as("only the refusals the load provokes")
        .allMatch(c -> c.equals("402 INSUFFICIENT_CREDITS") || c.equals("409 LEAD_FULL"));

    cluster.stopNodes();
    assertThat(cluster.verify())
        .as("leadcredits verify on the shared journal, see %s", cluster.logDir())
        .isZero();
    log.warn("verified at {} s", elapsed(started));
  }

  /** Every tradie claims the lead at once, each through another node. */
  static void rushHotLead(
      OperationLog ops, List<HttpApi> apis, List<String> tradies, String leadId, int maxClaims)
      throws Exception {
    createLead(apis.get(0), leadId, 25, maxClaims);
    ops.lead(leadId, 25, maxClaims);
    ExecutorService pool = Executors.newFixedThreadPool(tradies.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<OperationLog.Result>> results = new ArrayList<>();
    try {
      for (int i = 0; i < tradies.size(); i++) {
        HttpApi api = apis.get(i % apis.size());
        Operation claim = Operation.claim(leadId, tradies.get(i));
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return ops.send(api, claim);
                }));
      }
      go.countDown();
      for (Future<OperationLog.Result> r : results) {
        r.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(ops.resolveUnknown(apis.get(1), resolveDeadline)).isEmpty();
    long won =
        ops.results().stream()
            .filter(r -> leadId.equals(r.operation().leadId()))
            .filter(r -> r.outcome() == Outcome.OK)
            .count();
    assertThat(won).as("claims won on the hot lead").isEqualTo(maxClaims);
    for (HttpApi api : apis) {
      JsonNode lead = api.get("/api/leads/" + leadId);
      assertThat(lead.get("claims")).as("the lead as every node sees it").hasSize(maxClaims);
    }
  }

  private void assertEveryNodeHostsShards() {
    JsonNode view = cluster.clusterView(0);
    assertThat(view.get("members")).hasSize(3);
    for (JsonNode m : view.get("members")) {
      long shards = 0;
      for (JsonNode hosted : m.get("hosted")) {
        shards += hosted.get("shards").asLong();
      }
      assertThat(shards).as("shards on " + m.get("address")).isPositive();
    }
  }

  static List<String> createLeads(OperationLog ops, HttpApi api, String prefix, int count)
      throws InterruptedException {
    List<String> leads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String leadId = prefix + i;
      createLead(api, leadId, 20, 1 + i % 3);
      ops.lead(leadId, 20, 1 + i % 3);
      leads.add(leadId);
    }
    return leads;
  }

  /** Lead creation is set-up, not load: retried until the service says it exists. */
  static void createLead(HttpApi api, String leadId, long cost, int maxClaims)
      throws InterruptedException {
    Request create = Request.createLead(api.admin(), leadId, cost, maxClaims);
    Await.until(
        resolveDeadline,
        "lead " + leadId + " created",
        () -> {
          try {
            int status = api.send(create).status();
            assertThat(status).as("creating " + create.body()).isIn(200, 201, 503);
            return status != 503;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
          }
        });
  }

  static boolean trailHas(HttpApi api, String accountId, String type, String transactionId) {
    JsonNode trail = api.get("/api/accounts/" + accountId + "/transactions?limit=1000");
    for (JsonNode item : trail.get("items")) {
      if (item.get("type").asText().equals(type)
          && item.get("transactionId").asText().equals(transactionId)) {
        return true;
      }
    }
    return false;
  }

  /** {@code count} tradies t0.., each credited 300 through the nodes in turn. */
  static List<String> fundTradies(OperationLog ops, List<HttpApi> apis, int count) {
    List<String> tradies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tradies.add("t" + i);
      Operation seed = Operation.credit("t" + i, "seed-t" + i, 300);
      assertThat(
              ops.sendUntilDefinite(apis.get(i % apis.size()), seed, Duration.ofSeconds(60))
                  .outcome())
          .isEqualTo(Outcome.OK);
    }
    return tradies;
  }

  /**
   * Every unknown outcome resolved by its retry, the invariants hold, and, the nodes stopped, the
   * journal shows no gap, no duplicate and one writer at a time in every stream.
   */
  static void assertNothingLostAndOneWriter(
      OperationLog ops, LocalCluster cluster, HttpApi api, Duration resolveDeadline) {
    assertThat(ops.resolveUnknown(api, resolveDeadline)).isEmpty();
    assertInvariants(ops, api);
    cluster.stopNodes();
    assertThat(cluster.verify())
        .as("no gap, no duplicate, one writer at a time; see %s", cluster.logDir())
        .isZero();
  }

  static void assertInvariants(OperationLog ops, HttpApi api) {
    assertThat(api.get("/api/audit").get("ok").asBoolean())
        .as("/api/audit: %s", api.get("/api/audit"))
        .isTrue();
    assertThat(ops.check(ops.read(api), Instant.now())).isEmpty();
  }

  private static long elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
  }
}
