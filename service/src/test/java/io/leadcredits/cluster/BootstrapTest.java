package io.leadcredits.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.support.JwtTokens;
import io.leadcredits.support.LocalCluster;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.OperationLog.Operation;
import io.leadcredits.testkit.OperationLog.Outcome;
import io.leadcredits.testkit.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes given no seed nodes at all find each other by Pekko Cluster Bootstrap (the
 * {@code config} discovery method listing their management endpoints on loopback), form one
 * cluster, and serve requests that only sharding can route: an account credited through one node is
 * read through the others, and a lead rushed through all three sells exactly maxClaims.
 */
class BootstrapTest {
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
  void nodesWithoutSeedNodesFormOneClusterByBootstrapAndShareTheirEntities() throws Exception {
    cluster = LocalCluster.startBootstrapped("bootstrap", 3, dir, 3);

    Set<String> leaders = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      cluster.awaitUpMembers(3, i);
      leaders.add(cluster.clusterView(i).get("leader").asText());
    }
    assertThat(leaders).as("one cluster, one leader, as every node sees it").hasSize(1);

    OperationLog ops = new OperationLog();
    List<HttpApi> apis = List.of(cluster.api(0), cluster.api(1), cluster.api(2));
    List<String> tradies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String t = "b" + i;
      tradies.add(t);
      Operation seed = Operation.credit(t, "seed-" + t, 100 + i);
      assertThat(ops.sendUntilDefinite(apis.get(i % 3), seed, resolveDeadline).outcome())
          .isEqualTo(Outcome.OK);
    }
    for (int i = 0; i < 6; i++) {
      JsonNode balance = apis.get((i + 1) % 3).get("/api/accounts/" + tradies.get(i));
      assertThat(balance.get("balance").asLong())
          .as("credited through one node, read through another")
          .isEqualTo(100 + i);
    }
    ClusterTest.rushHotLead(ops, apis, tradies, "boot-hot", 2);
    ClusterTest.assertInvariants(ops, apis.get(2));
    assertEveryNodeHostsShards();

    // A node that leaves and starts again (a rolling update) finds the running cluster by the
    // same discovery and joins it rather than forming one of its own.
    assertThat(cluster.node(2).stop()).isEqualTo(ServiceProcess.SIGTERM_EXIT_STATUS);
    cluster.awaitUpMembers(2, 0);
    cluster.restart(2);
    cluster.awaitUpMembers(3, 2);
    assertThat(cluster.node(2).output())
        .as("the restarted node's bootstrap found the cluster")
        .contains("to existing cluster");
    assertThat(ops.read(apis.get(2)))
        .as("the restarted node serves the same ledger")
        .isEqualTo(ops.read(apis.get(0)));

    for (int i = 0; i < 3; i++) {
      int port = cluster.managementPort(i);
      assertThat(managementStatus(port, "/bootstrap/seed-nodes"))
          .as("bootstrap's contact point on node %d", i + 1)
          .isEqualTo(200);
      assertThat(managementStatus(port, "/cluster/members"))
          .as("no cluster management routes (down, leave) on the management port")
          .isEqualTo(404);
    }
  }

  /**
   * The resolver's lease-majority strategy builds its Kubernetes lease when the cluster starts: a
   * node with it becomes an Up member serving requests, its resolver running that strategy. (The
   * lease is only asked for on a partition, which needs a Kubernetes API server: not here.)
   */
  @Test
  void aNodeRunsTheLeaseMajorityResolverOnTheKubernetesLease() throws Exception {
    int management = ServiceProcess.freePort();
    Map<String, String> env =
        Map.of(
            "LEADCREDITS_CLUSTER_PORT", String.valueOf(ServiceProcess.freePort()),
            "LEADCREDITS_CLUSTER_BOOTSTRAP", "config",
            "LEADCREDITS_MANAGEMENT_PORT", String.valueOf(management),
            "LEADCREDITS_BOOTSTRAP_ENDPOINTS", "127.0.0.1:" + management,
            "LEADCREDITS_BOOTSTRAP_REQUIRED_CONTACT_POINTS", "1",
            "LEADCREDITS_SBR_STRATEGY", "lease-majority",
            "LEADCREDITS_LOG_LEVEL", "INFO",
            "LEADCREDITS_LOG_FORMAT", "text");
    try (ServiceProcess node =
        ServiceProcess.start(
            dir.resolve("lease-node"),
            JwtTokens.of(LocalCluster.JWT_SECRET),
            dir.resolve("lease-node.log"),
            env,
            List.of("-Dlogback.configurationFile=logback.xml"))) {
      OperationLog ops = new OperationLog();
      Operation credit = Operation.credit("lease-t", "lease-seed", 7);
      assertThat(ops.sendUntilDefinite(node.api(), credit, resolveDeadline).outcome())
          .isEqualTo(Outcome.OK);
      assertThat(node.output())
          .as("the resolver started with the lease strategy")
          .containsPattern("SBR started\\. Config: strategy \\[LeaseMajority\\]");
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

  /**
   * A status of Pekko Management's own server on the management port: not the service's API, which
   * the OpenAPI document describes (and {@code HttpApi} checks every answer of), so no answer here
   * is judged by it.
   */
  private static int managementStatus(int port, String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
