package io.leadcredits.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.support.LocalCluster;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rolling restart under load, as an orchestrator does it: each node in turn is taken out of the
 * load balancer, sent SIGTERM (it leaves the cluster and hands its shards over), started again and
 * put back once ready. Clients see no error but 503s, which they retry with the same transaction
 * id; nothing acknowledged is lost or doubled.
 */
@Tag("slow")
class RollingRestartTest {
  private static final Logger log = LoggerFactory.getLogger(RollingRestartTest.class);

  /** What clients may see during a rolling restart: answers, refusals, and 503 (retry). */
  private static final Set<String> allowedAnswers = Set.of("200", "201", "402", "409", "503");

  @TempDir Path dir;
  private LocalCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyNodeRestartedInTurnUnderLoadWithNoErrorBut503() throws Exception {
    cluster = LocalCluster.start("rolling-restart", 3, dir);
    OperationLog ops = new OperationLog();
    List<HttpApi> apis = List.of(cluster.api(0), cluster.api(1), cluster.api(2));
    List<String> tradies = ClusterTest.fundTradies(ops, apis, 30);
    List<String> leads = ClusterTest.createLeads(ops, apis.get(0), "lead", 6);
    ClusterLoad load = ClusterLoad.start(6, 31, apis, ops, tradies, leads, 3_600);
    load.awaitMoreAcknowledged(40, Duration.ofSeconds(60));

    for (int i = 0; i < 3; i++) {
      load.remove(i);
      assertThat(cluster.node(i).stop())
          .as("node %d left gracefully on SIGTERM", i + 1)
          .isEqualTo(ServiceProcess.SIGTERM_EXIT_STATUS);
      cluster.awaitUpMembers(2, (i + 1) % 3);
      load.awaitMoreAcknowledged(20, Duration.ofSeconds(60));
      cluster.restart(i);
      cluster.awaitUpMembers(3, i);
      load.add(i);
      load.awaitMoreAcknowledged(20, Duration.ofSeconds(60));
      log.warn("node {} restarted; answers so far {}", i + 1, load.answers());
    }
    load.stop();

    assertThat(load.answers().keySet())
        .as("answers during the rolling restart: %s", load.answers())
        .isSubsetOf(allowedAnswers);
    ClusterTest.assertNothingLostAndOneWriter(ops, cluster, apis.get(2), Duration.ofSeconds(60));
  }
}
