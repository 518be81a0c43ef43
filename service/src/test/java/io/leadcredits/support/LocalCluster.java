package io.leadcredits.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.Reply;
import io.leadcredits.testkit.ServiceProcess;
import io.leadcredits.testkit.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * Several {@code leadcredits serve} nodes in child JVMs on loopback, forming one cluster on one
 * shared PostgreSQL ({@code leadcredits db}), each on its own free HTTP and cluster ports and with
 * its own log file under {@code target/cluster-it/<name>/}. The nodes find each other by a seed
 * list or, with {@link #startBootstrapped}, by Pekko Cluster Bootstrap on a fixed list of
 * management endpoints. A node keeps its ports across restarts, so the list every node was given
 * stays true. With {@link #startOnHosts} each node runs on its own test host ({@link Netns}), so
 * the network between nodes can be cut; they reach the database through a forwarder on the
 * machine's bridge address.
 */
public final class LocalCluster implements AutoCloseable {
  public static final String JWT_SECRET = "local-cluster-test-secret-0123456789abcdef";

  /**
   * The resolver waits this long for the cluster to be stable before downing anyone: shorter than
   * the shipped 20s so that a test sees a dead node replaced in seconds. Everything else is as
   * shipped.
   */
  public static final Duration STABLE_AFTER = Duration.ofSeconds(5);

  /** Failure detection, stable-after, hand-over and recovery, on a busy machine. */
  public static final Duration MEMBERSHIP_DEADLINE = Duration.ofSeconds(90);

  /** Tokens every node accepts: they share the secret. */
  private static final Tokens tokens = JwtTokens.of(JWT_SECRET);

  private static final Pattern JDBC_HOST_PORT = Pattern.compile("//([^:/]+):(\\d+)/");

  private final Path logDir;
  private final Path workDir;
  private final DatabaseProcess database;
  private final List<Integer> httpPorts = new ArrayList<>();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<Integer> managementPorts = new ArrayList<>();
  private final int requiredContactPoints; // 0: seed nodes, no bootstrap
  private final Netns hosts; // null: every node on 127.0.0.1
  private final Duration stableAfter;
  private NioReactor reactor;
  private TcpCrusher databaseForward;
  private String forwardedDatabaseUrl;
  private final List<ServiceProcess> nodes = new ArrayList<>();
  private final Map<Integer, Integer> starts = new HashMap<>();

  private LocalCluster(
      Path logDir,
      Path workDir,
      DatabaseProcess database,
      int requiredContactPoints,
      Netns hosts,
      Duration stableAfter) {
    this.stableAfter = stableAfter;
    this.logDir = logDir;
    this.workDir = workDir;
    this.database = database;
    this.requiredContactPoints = requiredContactPoints;
    this.hosts = hosts;
  }

  /**
   * Starts the database and {@code size} nodes joining by a seed list, and returns once all are Up
   * in one cluster.
   */
  public static LocalCluster start(String name, int size, Path workDir) {
    return start(name, size, workDir, 0, null, STABLE_AFTER);
  }

  /**
   * As {@link #start(String, int, Path)}, with the resolver's {@code stable-after} (and so the
   * pause fence's threshold) set to {@code stableAfter}: for a test that freezes nodes longer than
   * {@link #STABLE_AFTER} without wanting them downed or fenced.
   */
  public static LocalCluster start(String name, int size, Path workDir, Duration stableAfter) {
    return start(name, size, workDir, 0, null, stableAfter);
  }

  /**
   * Starts the database on this machine and one node on each of {@code hosts}, joining by a seed
   * list of their addresses, and returns once all are Up in one cluster.
   */
  public static LocalCluster startOnHosts(String name, Netns hosts, Path workDir) {
    return start(name, hosts.size(), workDir, 0, hosts, STABLE_AFTER);
  }

  /**
   * Starts the database and {@code size} nodes that have no seed list: each finds the others by
   * Cluster Bootstrap ({@code config} discovery, listing every node's management endpoint) and only
   * a cluster of {@code requiredContactPoints} may be formed. Returns once all are Up in one
   * cluster.
   */
  public static LocalCluster startBootstrapped(
      String name, int size, Path workDir, int requiredContactPoints) {
    if (requiredContactPoints < 1) {
      throw new IllegalArgumentException("bootstrap needs at least one contact point");
    }
    return start(name, size, workDir, requiredContactPoints, null, STABLE_AFTER);
  }

  private static LocalCluster start(
      String name,
      int size,
      Path workDir,
      int requiredContactPoints,
      Netns hosts,
      Duration stableAfter) {
    Path logDir = Path.of("target", "cluster-it", name).toAbsolutePath();
    recreate(logDir);
    DatabaseProcess db = DatabaseProcess.start(workDir.resolve("db"), logDir.resolve("db.log"));
    LocalCluster cluster =
        new LocalCluster(logDir, workDir, db, requiredContactPoints, hosts, stableAfter);
    try {
      if (hosts != null) {
        cluster.forwardDatabase();
      }
      for (int i = 0; i < size; i++) {
        cluster.httpPorts.add(ServiceProcess.freePort());
        cluster.clusterPorts.add(ServiceProcess.freePort());
        cluster.managementPorts.add(ServiceProcess.freePort());
        cluster.nodes.add(null);
      }
      for (int i = 0; i < size; i++) {
        cluster.nodes.set(i, cluster.launch(i));
      }
      for (ServiceProcess node : cluster.nodes) {
        node.awaitReady();
      }
      cluster.awaitUpMembers(size);
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private ServiceProcess launch(int i) {
    int start = starts.merge(i, 1, Integer::sum);
    Path log = logDir.resolve("node-" + (i + 1) + (start == 1 ? "" : "-start" + start) + ".log");
    Map<String, String> env = new HashMap<>(database.env());
    env.put("LEADCREDITS_LOG_LEVEL", "INFO");
    if (hosts != null) {
      env.put("LEADCREDITS_DB_URL", forwardedDatabaseUrl);
    }
    List<String> flags =
        new ArrayList<>(
            List.of("--cluster-host", host(i), "--cluster-port", "" + clusterPorts.get(i)));
    if (requiredContactPoints == 0) {
      flags.addAll(List.of("--seed-nodes", endpoints(clusterPorts)));
    } else {
      env.put("LEADCREDITS_CLUSTER_BOOTSTRAP", "config");
      env.put("LEADCREDITS_MANAGEMENT_PORT", String.valueOf(managementPorts.get(i)));
      env.put("LEADCREDITS_BOOTSTRAP_ENDPOINTS", endpoints(managementPorts));
      env.put("LEADCREDITS_BOOTSTRAP_REQUIRED_CONTACT_POINTS", "" + requiredContactPoints);
    }
    return ServiceProcess.launch(
        ServiceProcess.Launch.of(workDir.resolve("node-" + (i + 1)), tokens, log)
            .on(host(i), httpPorts.get(i))
            .serveFlags(flags)
            .env(env)
            .jvmOptions(
                List.of(
                    ServiceProcess.SMALL_HEAP,
                    // The shipped logging, not the tests' WARN-only one: the node logs show
                    // membership changes, downing and hand-overs when a test fails.
                    "-Dlogback.configurationFile=logback.xml",
                    "-Dpekko.cluster.split-brain-resolver.stable-after="
                        + stableAfter.toSeconds()
                        + "s"))
            .commandPrefix(hosts == null ? List.of() : hosts.exec(i)));
  }

  private String host(int i) {
    return hosts == null ? "127.0.0.1" : hosts.address(i);
  }

  /** Node i's address and {@code ports}' i-th port, for every node. */
  private String endpoints(List<Integer> ports) {
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      endpoints.add(host(i) + ":" + ports.get(i));
    }
    return String.join(",", endpoints);
  }

  /**
   * The embedded PostgreSQL listens on loopback only; nodes on other hosts reach it through a TCP
   * forwarder on the machine's bridge address, as they would reach a database server.
   */
  private void forwardDatabase() {
    Matcher url = JDBC_HOST_PORT.matcher(database.env().get("LEADCREDITS_DB_URL"));
    if (!url.find()) {
      throw new AssertionError("no host:port in " + database.env().get("LEADCREDITS_DB_URL"));
    }
    try {
      reactor = new NioReactor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    databaseForward =
        TcpCrusherBuilder.builder()
            .withReactor(reactor)
            .withBindAddress(hosts.hostAddress(), ServiceProcess.freePort())
            .withConnectAddress("127.0.0.1", Integer.parseInt(url.group(2)))
            .buildAndOpen();
    forwardedDatabaseUrl =
        url.replaceFirst(
            "//" + hosts.hostAddress() + ":" + databaseForward.getBindAddress().getPort() + "/");
  }

  /** Node {@code i}'s Pekko Management port (bootstrap only). */
  public int managementPort(int i) {
    return managementPorts.get(i);
  }

  public int size() {
    return nodes.size();
  }

  public ServiceProcess node(int i) {
    return nodes.get(i);
  }

  public HttpApi api(int i) {
    return nodes.get(i).api();
  }

  /**
   * Starts node {@code i} again on its ports (after a kill or a stop) and waits until it serves.
   */
  public void restart(int i) {
    relaunch(i).awaitReady();
  }

  /**
   * Starts node {@code i} again on its ports (after a kill or a stop) without waiting for it: it
   * may not become ready until other nodes answer.
   */
  public ServiceProcess relaunch(int i) {
    ServiceProcess node = launch(i);
    nodes.set(i, node);
    return node;
  }

  /** Waits until node {@code via} sees exactly {@code count} members, all Up and reachable. */
  public void awaitUpMembers(int count) {
    awaitUpMembers(count, firstAlive());
  }

  public void awaitUpMembers(int count, int via) {
    Await.until(
        MEMBERSHIP_DEADLINE,
        count + " members Up, as node " + (via + 1) + " sees it",
        () -> {
          JsonNode members = clusterView(via).get("members");
          if (members == null || members.size() != count) {
            return false;
          }
          for (JsonNode m : members) {
            if (!m.get("status").asText().equals("Up") || !m.get("reachable").asBoolean()) {
              return false;
            }
          }
          return true;
        });
  }

  /** {@code GET /api/cluster} on node {@code via}; an empty object when it does not answer 200. */
  public JsonNode clusterView(int via) {
    try {
      HttpApi api = api(via);
      Reply r = api.send("GET", "/api/cluster", api.admin(), null);
      return r.status() == 200 && r.body() != null ? r.body() : Json.EMPTY;
    } catch (IOException e) {
      return Json.EMPTY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private int firstAlive() {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i) != null && nodes.get(i).isAlive()) {
        return i;
      }
    }
    throw new AssertionError("no node is alive");
  }

  public DatabaseProcess database() {
    return database;
  }

  /**
   * {@code leadcredits verify} on the shared journal (nodes stopped), run as an operator would on a
   * node's machine, with the node's cluster settings in its environment; returns its exit status, 0
   * only if it also printed its verdict.
   */
  public int verify() {
    Path log = logDir.resolve("verify.log");
    Map<String, String> env = new HashMap<>(database.env());
    env.put("LEADCREDITS_CLUSTER_PORT", String.valueOf(clusterPorts.get(0)));
    env.put("LEADCREDITS_SEED_NODES", "127.0.0.1:" + clusterPorts.get(0));
    int exit =
        ServiceProcess.run(List.of("verify"), workDir.resolve("verify"), JWT_SECRET, log, env);
    try {
      if (exit == 0 && !Files.readString(log).contains("OK: every invariant holds")) {
        throw new AssertionError("verify exited 0 without its verdict; see " + log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return exit;
  }

  public Path logDir() {
    return logDir;
  }

  /** SIGTERM to every node still running, all at once: each leaves the cluster and exits. */
  public void stopNodes() {
    List<CompletableFuture<Void>> stopping = new ArrayList<>();
    for (ServiceProcess node : nodes) {
      if (node != null) {
        stopping.add(CompletableFuture.runAsync(node::close));
      }
    }
    stopping.forEach(CompletableFuture::join);
  }

  /** Stops the nodes, then the database. */
  @Override
  public void close() {
    try {
      stopNodes();
    } finally {
      if (databaseForward != null) {
        databaseForward.close();
        reactor.close();
      }
      database.close();
    }
  }

  private static void recreate(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> walk = Files.walk(dir)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
  }

  /** An empty JSON object: what a node that does not answer shows. */
  private static final class Json {
    static final JsonNode EMPTY =
        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
  }
}
