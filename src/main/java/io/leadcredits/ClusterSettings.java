package io.leadcredits;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How this node takes part in a cluster: its own address, the seed nodes it joins, the split-brain
 * resolver's strategy and how many entities it keeps in memory. No seed nodes means a cluster of
 * one that joins itself. {@link #pekkoConfig()} turns these into the Pekko settings they stand for,
 * so {@code leadcredits.cluster} is the only place an operator has to look.
 */
public record ClusterSettings(
    String host,
    int port,
    List<String> seedNodes,
    String splitBrainResolver,
    int activeEntitiesMax) {

  /** The actor system's name: part of every node's address, so all nodes must agree on it. */
  public static final String SYSTEM_NAME = "leadcredits";

  /**
   * The resolver strategies that need nothing more than a name. static-quorum needs a quorum size
   * and lease-majority a lease, neither of which the service configures.
   */
  public static final Set<String> STRATEGIES = Set.of("keep-majority", "keep-oldest", "down-all");

  /**
   * Below this, passivation would churn entities faster than they recover from the journal. The
   * limit covers accounts and leads together (half each), so it is split between the two regions.
   */
  public static final int ACTIVE_ENTITIES_MIN = 1_000;

  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._-]+:[0-9]{1,5}");

  public ClusterSettings {
    seedNodes = List.copyOf(seedNodes);
    require(host != null && !host.isBlank(), "cluster.host must not be empty");
    require(port >= 0 && port <= 65535, "cluster.port must be 0..65535");
    for (String seed : seedNodes) {
      require(HOST_PORT.matcher(seed).matches(), "seed node must be host:port: " + seed);
      int seedPort = Integer.parseInt(seed.substring(seed.lastIndexOf(':') + 1));
      require(seedPort >= 1 && seedPort <= 65535, "seed node port must be 1..65535: " + seed);
    }
    // A node on a random port could never be one of the seed nodes the others were told about.
    require(seedNodes.isEmpty() || port != 0, "cluster.port must be set when seed nodes are");
    require(
        STRATEGIES.contains(splitBrainResolver),
        "split-brain-resolver must be one of " + STRATEGIES + ": " + splitBrainResolver);
    require(
        activeEntitiesMax >= ACTIVE_ENTITIES_MIN,
        "cluster.active-entities-max must be >= " + ACTIVE_ENTITIES_MIN);
  }

  /** Reads the {@code cluster} block of the {@code leadcredits} settings. */
  public static ClusterSettings fromConfig(Config c) {
    List<String> seeds = new ArrayList<>();
    for (String s : c.getString("seed-nodes").split(",")) {
      if (!s.isBlank()) {
        seeds.add(s.strip());
      }
    }
    return new ClusterSettings(
        c.getString("host"),
        c.getInt("port"),
        seeds,
        c.getString("split-brain-resolver"),
        c.getInt("active-entities-max"));
  }

  /** Whether other nodes are expected: seed nodes are configured. */
  public boolean clustered() {
    return !seedNodes.isEmpty();
  }

  /** The Pekko settings these stand for, to be laid over the rest of the configuration. */
  public Config pekkoConfig() {
    Map<String, Object> pekko = new HashMap<>();
    pekko.put("pekko.remote.artery.canonical.hostname", host);
    pekko.put("pekko.remote.artery.canonical.port", port);
    pekko.put("pekko.cluster.split-brain-resolver.active-strategy", splitBrainResolver);
    // Sharding applies the limit per region: one region for accounts, one for leads.
    pekko.put(
        "pekko.cluster.sharding.passivation.leadcredits-strategy.active-entity-limit",
        activeEntitiesMax / 2);
    if (clustered()) {
      List<String> seeds = new ArrayList<>();
      for (String seed : seedNodes) {
        seeds.add("pekko://" + SYSTEM_NAME + "@" + seed);
      }
      pekko.put("pekko.cluster.seed-nodes", seeds);
      // A node the cluster has downed (or that could not join) must not keep serving: its
      // entities live on elsewhere now. Pekko ends the JVM after its coordinated shutdown, with a
      // failure status (its reason-overrides: -1) so that a supervisor starts it again as a fresh
      // member. SIGTERM still exits as a signal does: Pekko never exits a JVM already exiting.
      pekko.put("pekko.coordinated-shutdown.exit-jvm", "on");
    }
    return ConfigFactory.parseMap(pekko, "leadcredits.cluster");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid setting: " + message);
    }
  }
}
