package io.leadcredits.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a node finds the others without a fixed seed list: Pekko Cluster Bootstrap asks a discovery
 * method for the nodes' Pekko Management endpoints (the contact points), and once it has seen
 * {@code requiredContactPoints} of them agree, the node with the lowest address forms the cluster
 * and the others join it. A node started later joins the running cluster the contact points name.
 * Off by default: a node then joins by seed nodes, or is a cluster of itself.
 */
public record BootstrapSettings(
    Method method,
    int managementPort,
    String serviceName,
    int requiredContactPoints,
    List<String> endpoints) {

  /** Pekko Management's own default port ("PMAN" on a telephone keypad). */
  public static final int MANAGEMENT_PORT_DEFAULT = 7626;

  /** A bound, so that a typo (10000 for 10) fails at start-up instead of never forming. */
  public static final int REQUIRED_CONTACT_POINTS_MAX = 1000;

  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._-]+:[0-9]{1,5}");

  /** Where the contact points come from. */
  public enum Method {
    /** No bootstrap: seed nodes, or a cluster of one. */
    OFF("off", ""),
    /** Pods listed by the Kubernetes API, selected by the label {@code app=<service-name>}. */
    KUBERNETES_API("kubernetes-api", "kubernetes-api"),
    /** The A records of a DNS name, e.g. a headless Service's. */
    DNS("dns", "pekko-dns"),
    /** A fixed list of management endpoints: machines without any discovery service. */
    CONFIG("config", "config");

    private final String label;
    private final String pekkoMethod;

    Method(String label, String pekkoMethod) {
      this.label = label;
      this.pekkoMethod = pekkoMethod;
    }

    public String label() {
      return label;
    }

    static Method parse(String s) {
      for (Method m : values()) {
        if (m.label.equals(s.strip().toLowerCase(Locale.ROOT))) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "invalid setting: LEADCREDITS_CLUSTER_BOOTSTRAP must be off, kubernetes-api, dns or"
              + " config: "
              + s);
    }
  }

  public BootstrapSettings {
    endpoints = List.copyOf(endpoints);
    require(
        managementPort >= 1 && managementPort <= 65535,
        "LEADCREDITS_MANAGEMENT_PORT must be 1..65535: " + managementPort);
    require(
        serviceName != null && !serviceName.isBlank(),
        "LEADCREDITS_BOOTSTRAP_SERVICE_NAME must not be empty");
    require(
        requiredContactPoints >= 1 && requiredContactPoints <= REQUIRED_CONTACT_POINTS_MAX,
        "LEADCREDITS_BOOTSTRAP_REQUIRED_CONTACT_POINTS must be 1.." + REQUIRED_CONTACT_POINTS_MAX);
    for (String endpoint : endpoints) {
      require(
          HOST_PORT.matcher(endpoint).matches(),
          "bootstrap endpoint must be host:port: " + endpoint);
    }
    if (method == Method.CONFIG) {
      require(
          !endpoints.isEmpty(),
          "LEADCREDITS_CLUSTER_BOOTSTRAP=config needs LEADCREDITS_BOOTSTRAP_ENDPOINTS, the"
              + " host:port of every node's management endpoint");
      // Bootstrap waits for this many contact points to answer: more than are listed never come.
      require(
          requiredContactPoints <= endpoints.size(),
          "LEADCREDITS_BOOTSTRAP_REQUIRED_CONTACT_POINTS ("
              + requiredContactPoints
              + ") is more than the "
              + endpoints.size()
              + " LEADCREDITS_BOOTSTRAP_ENDPOINTS: no cluster could ever form");
    } else {
      require(
          endpoints.isEmpty(),
          "LEADCREDITS_BOOTSTRAP_ENDPOINTS is only read with LEADCREDITS_CLUSTER_BOOTSTRAP=config");
    }
  }

  /** Reads the {@code cluster.bootstrap} block of the {@code leadcredits} settings. */
  public static BootstrapSettings fromConfig(Config c) {
    List<String> endpoints = new ArrayList<>();
    for (String s : c.getString("endpoints").split(",")) {
      if (!s.isBlank()) {
        endpoints.add(s.strip());
      }
    }
    return new BootstrapSettings(
        Method.parse(c.getString("method")),
        c.getInt("management-port"),
        c.getString("service-name"),
        c.getInt("required-contact-points"),
        endpoints);
  }

  public boolean enabled() {
    return method != Method.OFF;
  }

  /**
   * The Pekko Management and Cluster Bootstrap settings these stand for. Management serves on the
   * cluster host only: its routes (bootstrap's seed-node answers, health) are for the other nodes,
   * not for clients, and the node's own address is how the others find it in discovery.
   */
  public Map<String, Object> pekkoSettings(String clusterHost) {
    Map<String, Object> pekko = new HashMap<>();
    pekko.put("pekko.management.http.hostname", clusterHost);
    pekko.put("pekko.management.http.port", managementPort);
    String discovery = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    pekko.put(discovery + "discovery-method", method.pekkoMethod);
    pekko.put(discovery + "service-name", serviceName);
    pekko.put(discovery + "required-contact-point-nr", requiredContactPoints);
    if (method == Method.CONFIG) {
      List<Map<String, Object>> targets = new ArrayList<>();
      for (String endpoint : endpoints) {
        int colon = endpoint.lastIndexOf(':');
        targets.add(
            Map.of(
                "host",
                endpoint.substring(0, colon),
                "port",
                Integer.parseInt(endpoint.substring(colon + 1))));
      }
      pekko.put(
          ConfigUtil.joinPath(
              Arrays.asList("pekko", "discovery", "config", "services", serviceName, "endpoints")),
          targets);
      // Several nodes on one host (one machine, one test) share a host name; bootstrap would
      // otherwise keep only the endpoint on its own port of each host and never see the others.
      pekko.put("pekko.management.cluster.bootstrap.contact-point.filter-on-fallback-port", false);
    }
    return pekko;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid setting: " + message);
    }
  }
}
