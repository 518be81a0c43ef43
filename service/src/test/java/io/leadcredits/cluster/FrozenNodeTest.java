package io.leadcredits.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.support.LocalCluster;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.OperationLog.Operation;
import io.leadcredits.testkit.OperationLog.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The known way a split brain happens without a network partition: a node is frozen (SIGSTOP, as in
 * a long GC pause or a suspended VM) for longer than twice the resolver's stable-after, the others
 * down it and take its shards, and then it resumes believing it still owns them, with requests
 * already waiting in its sockets. It must not write: it finds out it was downed and exits, and
 * until then its journal writes are refused. Afterwards every journal stream has had one writer at
 * a time, with no gap and no duplicate.
 */
@Tag("slow")
class FrozenNodeTest {
  private static final Logger log = LoggerFactory.getLogger(FrozenNodeTest.class);

  private static final Duration resolveDeadline = Duration.ofSeconds(60);

  /** More than twice stable-after, as the failure this reproduces needs. */
  private static final Duration freezeMin = LocalCluster.STABLE_AFTER.multipliedBy(3);

  @TempDir Path dir;
  private LocalCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aFrozenNodeIsDownedAndWritesNothingAfterItResumes() throws Exception {
    cluster = LocalCluster.start("frozen-node", 3, dir);
    OperationLog ops = new OperationLog();
    List<HttpApi> apis = List.of(cluster.api(0), cluster.api(1), cluster.api(2));
    List<String> tradies = new ArrayList<>();
    List<String> probes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      tradies.add("t" + i);
      probes.add("p" + i);
      for (String account : List.of("t" + i, "p" + i)) {
        Operation seed = Operation.credit(account, "seed-" + account, 300);
        assertThat(ops.sendUntilDefinite(apis.get(i % 3), seed, resolveDeadline).outcome())
            .isEqualTo(Outcome.OK);
      }
    }
    List<String> leads = ClusterTest.createLeads(ops, apis.get(0), "lead", 4);
    ClusterLoad load = ClusterLoad.start(6, 23, apis, ops, tradies, leads, 3_600);
    load.awaitMoreAcknowledged(40, Duration.ofSeconds(60));

    cluster.node(2).freeze();
    long frozenAt = System.nanoTime();
    load.remove(2);
    // Requests that reach the frozen node wait in its sockets; none may be applied when it wakes.
    List<CompletableFuture<Integer>> sentToFrozen = sendProbeCredits(apis.get(2), probes);
    cluster.awaitUpMembers(2, 0);
    log.warn("frozen node removed after {} ms", millisSince(frozenAt));
    load.awaitMoreAcknowledged(40, Duration.ofSeconds(60));
    while (System.nanoTime() - frozenAt < freezeMin.toNanos()) {
      load.awaitMoreAcknowledged(1, Duration.ofSeconds(30)); // the survivors keep serving
    }
    cluster.node(2).thaw();
    log.warn("thawed after {} ms", millisSince(frozenAt));

    int exit = cluster.node(2).awaitExit(Duration.ofSeconds(60));
    log.warn("the resumed node exited with {} after {} ms", exit, millisSince(frozenAt));
    assertThat(exit).as("a downed node exits with a failure status").isNotZero();
    load.awaitMoreAcknowledged(20, Duration.ofSeconds(60));
    load.stop();

    for (CompletableFuture<Integer> answer : sentToFrozen) {
      assertThat(answer.join())
          .as("no request to the frozen node succeeded")
          .matches(status -> status < 200 || status >= 300);
    }
    for (String probe : probes) {
      assertThat(ClusterTest.trailHas(apis.get(0), probe, "CREDIT", "frozen-" + probe))
          .as("the credit sent to the frozen node for %s was not written", probe)
          .isFalse();
    }
    ClusterTest.assertNothingLostAndOneWriter(ops, cluster, apis.get(0), resolveDeadline);
  }

  /** One credit per probe account, sent to {@code api}; each completes with its status, or 0. */
  private static List<CompletableFuture<Integer>> sendProbeCredits(
      HttpApi api, List<String> probes) {
    ExecutorService pool = Executors.newFixedThreadPool(probes.size());
    List<CompletableFuture<Integer>> answers = new ArrayList<>();
    for (String probe : probes) {
      String body = "{\"amount\":1,\"transactionId\":\"frozen-" + probe + "\"}";
      answers.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return api.send("POST", "/api/accounts/" + probe + "/credits", api.admin(), body)
                      .status();
                } catch (Exception e) {
                  return 0; // no answer: the client gave up on the frozen node
                }
              },
              pool));
    }
    pool.shutdown();
    return answers;
  }

  private static long millisSince(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
  }
}
