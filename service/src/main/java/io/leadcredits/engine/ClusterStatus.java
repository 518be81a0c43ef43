package io.leadcredits.engine;

import io.leadcredits.account.Account;
import io.leadcredits.lead.Lead;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats;
import org.apache.pekko.cluster.sharding.ShardRegion.ShardRegionStats;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Reads {@link ClusterView}: membership from this node's view of the cluster, shard and entity
 * counts from every member's shard regions (Pekko's {@code GetClusterShardingStats}, one per entity
 * type, which asks each region and waits at most {@code timeout}).
 */
final class ClusterStatus {
  private ClusterStatus() {}

  /** The entity types the engine shards, by the name the view uses for them. */
  private static final Map<String, EntityTypeKey<?>> TYPES =
      Map.of("account", Account.ENTITY_KEY, "lead", Lead.ENTITY_KEY);

  static CompletionStage<ClusterView> read(ActorSystem<?> system, Duration timeout) {
    CompletionStage<ClusterShardingStats> accounts = stats(system, "account", timeout);
    CompletionStage<ClusterShardingStats> leads = stats(system, "lead", timeout);
    return accounts.thenCombine(
        leads,
        (a, l) ->
            view(Cluster.get(system), Map.of("account", a.getRegions(), "lead", l.getRegions())));
  }

  private static CompletionStage<ClusterShardingStats> stats(
      ActorSystem<?> system, String type, Duration timeout) {
    return AskPattern.ask(
        ClusterSharding.get(system).shardState(),
        replyTo -> new GetClusterShardingStats(TYPES.get(type), timeout, replyTo),
        // The query answers by itself after `timeout`, leaving out regions that were too slow.
        timeout.plusSeconds(1),
        system.scheduler());
  }

  private static ClusterView view(
      Cluster cluster, Map<String, Map<Address, ShardRegionStats>> regionsByType) {
    CurrentClusterState state = cluster.state();
    Set<Member> unreachable = state.getUnreachable();
    List<ClusterView.Member> members = new ArrayList<>();
    Set<String> missing = new TreeSet<>();
    for (Member m : state.getMembers()) {
      Map<String, ClusterView.Hosted> hosted = new HashMap<>();
      for (Map.Entry<String, Map<Address, ShardRegionStats>> type : regionsByType.entrySet()) {
        ShardRegionStats region = type.getValue().get(m.address());
        if (region == null) {
          missing.add(m.address().toString());
          continue;
        }
        long entities = 0;
        for (Object count : region.getStats().values()) {
          entities += ((Number) count).longValue();
        }
        hosted.put(type.getKey(), new ClusterView.Hosted(region.getStats().size(), entities));
      }
      members.add(
          new ClusterView.Member(
              m.address().toString(),
              m.status().toString(),
              new ArrayList<>(new TreeSet<>(m.getRoles())),
              !unreachable.contains(m),
              hosted));
    }
    Address leader = state.getLeader();
    return new ClusterView(
        cluster.selfMember().address().toString(),
        leader == null ? null : leader.toString(),
        members,
        new ArrayList<>(missing));
  }
}
