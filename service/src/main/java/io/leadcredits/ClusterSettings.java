package io.leadcredits;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.leadcredits.cluster.BootstrapSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.pekko.actor.Address;

/**
 * How this node takes part in a cluster: its own address, how it finds the others (a fixed list of
 * seed nodes, or Cluster Bootstrap's discovery), the split-brain resolver's strategy and how many
 * entities it keeps in memory. Neither seed nodes nor bootstrap means a cluster of one that joins
 * itself. {@link #pekkoConfig()} turns these into the Pekko settings they stand for, so {@code
 * leadcredits.cluster} is the only place an operator has to look.
 */
public record ClusterSettings(
    String host,
    int port,
    List<String> seedNodes,
    BootstrapSettings bootstrap,
    String splitBrainResolver,
    int activeEntitiesMax) {

  /** The actor system's name: part of every node's address, so all nodes must agree on it. */
  public static final String SYSTEM_NAME = "leadcredits";

  public static final String LEASE_MAJORITY = "lease-majority";

  /**
   * The resolver strategies offered. static-quorum needs a quorum size, which the service does not
   * configure; lease-majority takes its lease from the Kubernetes API (a Lease object).
   */
  public static final Set<String> STRATEGIES =
      Set.of("keep-majority", "keep-oldest", "down-all", LEASE_MAJORITY);

  /** Pekko's lease on a coordination.k8s.io/v1 Lease object: no custom resource to install. */
  static final String KUBERNETES_LEASE_CLASS =
      "org.apache.pekko.coordination.lease.kubernetes.NativeKubernetesLease";

  /** The path of the bootstrap method in the whole configuration. */
  private static final String BOOTSTRAP_METHOD = "leadcredits.cluster.bootstrap.method";

  private static final String SEED_NODES = "leadcredits.cluster.seed-nodes";

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
    // Bootstrap joins the seed nodes it discovers; a fixed list next to it would race it, and a
    // node could form a second cluster by one while the others form theirs by the other.
    require(
        seedNodes.isEmpty() || !bootstrap.enabled(),
        "LEADCREDITS_SEED_NODES and LEADCREDITS_CLUSTER_BOOTSTRAP are both set: a node joins by"
            + " a fixed seed list or by bootstrap, not both");
    require(
        STRATEGIES.contains(splitBrainResolver),
        "split-brain-resolver must be one of " + STRATEGIES + ": " + splitBrainResolver);
    require(
        !splitBrainResolver.equals(LEASE_MAJORITY) || !seedNodes.isEmpty() || bootstrap.enabled(),
        "split-brain-resolver lease-majority is for a cluster of several nodes (seed nodes or"
            + " bootstrap), run in Kubernetes");
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
        BootstrapSettings.fromConfig(c.getConfig("bootstrap")),
        c.getString("split-brain-resolver"),
        c.getInt("active-entities-max"));
  }

  /** The seed nodes as the actor system's addresses, in the order given (the first may form). */
  public List<Address> seedAddresses() {
    List<Address> addresses = new ArrayList<>();
    for (String seed : seedNodes) {
      int colon = seed.lastIndexOf(':');
      addresses.add(
          new Address(
              "pekko",
              SYSTEM_NAME,
              seed.substring(0, colon),
              Integer.parseInt(seed.substring(colon + 1))));
    }
    return addresses;
  }

  /** Whether other nodes are expected: seed nodes or bootstrap are configured. */
  public boolean clustered() {
    return !seedNodes.isEmpty() || bootstrap.enabled();
  }

  /**
   * {@link #clustered()} as read from an actor system's configuration, for the parts that only see
   * that (an extension); a configuration without the service's settings is a cluster of one.
   */
  public static boolean clustered(Config config) {
    boolean bootstrapped =
        config.hasPath(BOOTSTRAP_METHOD)
            && !config.getString(BOOTSTRAP_METHOD).strip().equalsIgnoreCase("off");
    boolean seeded = config.hasPath(SEED_NODES) && !config.getString(SEED_NODES).isBlank();
    return bootstrapped || seeded || !config.getStringList("pekko.cluster.seed-nodes").isEmpty();
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
    if (splitBrainResolver.equals(LEASE_MAJORITY)) {
      pekko.put(
          "pekko.cluster.split-brain-resolver.lease-majority.lease-implementation",
          "pekko.coordination.lease.kubernetes");
      pekko.put("pekko.coordination.lease.kubernetes.lease-class", KUBERNETES_LEASE_CLASS);
    }
    if (bootstrap.enabled()) {
      pekko.putAll(bootstrap.pekkoSettings(host));
    }
    if (clustered()) {
      // The seed nodes stay out of pekko.cluster.seed-nodes: Pekko would join them on its own, and
      // its first seed node would form a new cluster whenever the others are slow to answer. The
      // service joins them itself (cluster.SeedJoin), asking the database first.
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
