package io.leadcredits.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.leadcredits.ClusterSettings;
import io.leadcredits.cluster.BootstrapSettings.Method;
import io.leadcredits.support.Checkout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests in {@code deploy/k8s/} parse, and say what docs/cluster.md says they do:
 * bootstrap through the Kubernetes API with the RBAC it needs, the pods' label matching the
 * discovery's selector, probes on the service's health routes, room for the graceful leave, and
 * settings the service accepts.
 */
class KubernetesManifestsTest {
  private static final Path DIR = Checkout.resolve("deploy", "k8s");

  private static final Map<String, JsonNode> byKind = new HashMap<>();

  @BeforeAll
  static void readEveryManifest() throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    List<Path> files;
    try (Stream<Path> list = Files.list(DIR)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      try (MappingIterator<JsonNode> docs =
          yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
        for (JsonNode doc : docs.readAll()) {
          assertThat(doc.path("apiVersion").asText()).as("apiVersion in %s", file).isNotEmpty();
          assertThat(doc.path("metadata").path("name").asText())
              .as("name in %s", file)
              .isNotEmpty();
          byKind.put(doc.path("kind").asText(), doc);
        }
      }
    }
  }

  @Test
  void theDeploymentBootstrapsThroughTheKubernetesApiWithoutSeedNodes() {
    Map<String, String> env = env();

    assertThat(env).doesNotContainKey("LEADCREDITS_SEED_NODES");
    assertThat(env).containsEntry("LEADCREDITS_CLUSTER_BOOTSTRAP", "kubernetes-api");
    ClusterSettings settings = settingsFrom(env);
    assertThat(settings.bootstrap().method()).isEqualTo(Method.KUBERNETES_API);
    assertThat(settings.bootstrap().requiredContactPoints())
        .as("every replica of a first deployment must be seen before a cluster forms")
        .isEqualTo(deployment().path("spec").path("replicas").asInt());
    assertThat(containerPort("management")).isEqualTo(settings.bootstrap().managementPort());
    assertThat(containerPort("cluster")).isEqualTo(settings.port());
    assertThat(deployment().at("/spec/template/metadata/labels/app").asText())
        .as("discovery selects pods labelled app=<service name>")
        .isEqualTo(settings.bootstrap().serviceName());
    assertThat(env.get("LEADCREDITS_CLUSTER_HOST"))
        .as("the pod's IP: what discovery reports and what management binds")
        .isEqualTo("$(POD_IP)");
  }

  @Test
  void probesUseTheHealthRoutesAndTheGracefulLeaveHasRoom() {
    JsonNode container = container();
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
    assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
    assertThat(containerPort("http"))
        .isEqualTo(Integer.parseInt(env().get("LEADCREDITS_HTTP_PORT")));
    // Coordinated shutdown: at most a handful of 5s phases, well under 30s (cluster.conf).
    assertThat(deployment().at("/spec/template/spec/terminationGracePeriodSeconds").asInt())
        .isGreaterThan(30);
    assertThat(deployment().at("/spec/strategy/rollingUpdate/maxUnavailable").asInt())
        .as("a new node joins before an old one leaves")
        .isZero();
  }

  @Test
  void thePodsMayListPodsAndHoldLeasesAndNothingMore() {
    String account = deployment().at("/spec/template/spec/serviceAccountName").asText();
    assertThat(byKind.get("ServiceAccount").at("/metadata/name").asText()).isEqualTo(account);
    JsonNode binding = byKind.get("RoleBinding");
    assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(account);
    assertThat(binding.at("/roleRef/name").asText())
        .isEqualTo(byKind.get("Role").at("/metadata/name").asText());
    Map<String, List<String>> verbs = new HashMap<>();
    for (JsonNode rule : byKind.get("Role").path("rules")) {
      List<String> v = new ArrayList<>();
      rule.path("verbs").forEach(n -> v.add(n.asText()));
      rule.path("resources").forEach(r -> verbs.put(r.asText(), v));
    }
    assertThat(verbs.keySet()).containsExactlyInAnyOrder("pods", "leases");
    assertThat(verbs.get("pods")).contains("list").doesNotContain("create", "update", "delete");
    assertThat(verbs.get("leases")).contains("get", "create", "update");
  }

  @Test
  void theLeaseMajorityStrategyIsAcceptedWithTheseSettings() {
    Map<String, String> env = new HashMap<>(env());
    env.put("LEADCREDITS_SBR_STRATEGY", ClusterSettings.LEASE_MAJORITY);

    assertThat(settingsFrom(env).splitBrainResolver()).isEqualTo("lease-majority");
  }

  private static JsonNode deployment() {
    JsonNode d = byKind.get("Deployment");
    assertThat(d).as("a Deployment in deploy/k8s").isNotNull();
    return d;
  }

  private static JsonNode container() {
    return deployment().at("/spec/template/spec/containers/0");
  }

  private static int containerPort(String name) {
    for (JsonNode p : container().path("ports")) {
      if (p.path("name").asText().equals(name)) {
        return p.path("containerPort").asInt();
      }
    }
    throw new AssertionError("no container port named " + name);
  }

  /** The container's literal environment (values from the downward API are left out). */
  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    for (JsonNode e : container().path("env")) {
      if (e.has("value")) {
        env.put(e.path("name").asText(), e.path("value").asText());
      }
    }
    return env;
  }

  /** The cluster settings the service would read from this environment (a pod IP for POD_IP). */
  private static ClusterSettings settingsFrom(Map<String, String> env) {
    Map<String, String> resolved = new HashMap<>();
    env.forEach((k, v) -> resolved.put(k, v.replace("$(POD_IP)", "10.1.2.3")));
    // The variables sit at the root, where leadcredits.conf's ${?LEADCREDITS_…} look them up.
    Config config =
        ConfigFactory.parseMap(resolved, "the Deployment's env")
            .withFallback(ConfigFactory.parseResources("leadcredits.conf"))
            .resolve();
    return ClusterSettings.fromConfig(config.getConfig("leadcredits.cluster"));
  }
}
