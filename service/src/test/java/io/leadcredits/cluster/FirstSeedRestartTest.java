package io.leadcredits.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.support.Await;
import io.leadcredits.support.LocalCluster;
import io.leadcredits.testkit.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first node of the seed list, restarted while the other members cannot answer in time, must
 * join their cluster rather than form one of its own (an island next to it on the same journal).
 * The others are frozen (SIGSTOP) while it starts: they answer nobody, as on a machine too busy to
 * answer within Pekko's seed-node-timeout, yet their database sessions, and the member lock with
 * them, stay alive, as a live member's do.
 */
class FirstSeedRestartTest {
  private static final Logger log = LoggerFactory.getLogger(FirstSeedRestartTest.class);

  /**
   * Long enough that the frozen nodes neither fence themselves (the pause fence's threshold is
   * stable-after) nor are downed while they are frozen.
   */
  private static final Duration stableAfter = Duration.ofSeconds(60);

  /** Pekko's seed-node-timeout, which the service keeps: a first seed forms a cluster after it. */
  private static final Duration seedNodeTimeout = Duration.ofSeconds(5);

  private static final Duration pollInterval = Duration.ofMillis(200);

  /** What the restarted first seed logs when it joins the running cluster instead of forming. */
  private static final String joiningRunning = "joining it rather than forming a new one";

  /** What Pekko logs when a node forms a new cluster. */
  private static final String forming = "forming new cluster";

  @TempDir Path dir;
  private LocalCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aRestartedFirstSeedJoinsTheRunningClusterWhenItsMembersAnswerLate() {
    cluster = LocalCluster.start("first-seed-restart", 3, dir, stableAfter);
    assertThat(cluster.node(0).stop()).as("node 1 leaves on SIGTERM").isEqualTo(143);
    cluster.awaitUpMembers(2, 1);

    cluster.node(1).freeze();
    cluster.node(2).freeze();
    ServiceProcess first;
    try {
      first = cluster.relaunch(0);
      // Either it says it joins the running cluster, or it became a member of a cluster: with the
      // others frozen, only of one it formed itself.
      Await.until(
          LocalCluster.MEMBERSHIP_DEADLINE,
          "node 1 joining the running cluster or forming its own",
          () -> first.output().contains(joiningRunning) || isMember(0));
      long decidedAt = System.nanoTime();
      assertThat(isMember(0))
          .as("node 1 formed a cluster of its own while the running one's members were frozen")
          .isFalse();
      // A first seed forms its cluster seed-node-timeout after it starts asking the others; watch
      // it for twice that from the moment it chose to join, and it must still be no member.
      Duration window = seedNodeTimeout.multipliedBy(2);
      while (System.nanoTime() - decidedAt < window.toNanos()) {
        assertThat(isMember(0))
            .as("node 1 formed a cluster of its own while the running one's members were frozen")
            .isFalse();
        pause();
      }
      log.warn(
          "node 1 still outside any cluster {} ms after it chose to join the running one",
          Duration.ofNanos(System.nanoTime() - decidedAt).toMillis());
    } finally {
      cluster.node(1).thaw();
      cluster.node(2).thaw();
    }

    for (int via = 0; via < 3; via++) {
      cluster.awaitUpMembers(3, via);
    }
    first.awaitReady();
    assertThat(first.output()).doesNotContain(forming);
  }

  /** Whether node {@code i} sees itself in a cluster (any member at all in its view). */
  private boolean isMember(int i) {
    JsonNode members = cluster.clusterView(i).get("members");
    return members != null && members.size() > 0;
  }

  private static void pause() {
    try {
      Thread.sleep(pollInterval.toMillis()); // between looks; each look re-checks membership
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
