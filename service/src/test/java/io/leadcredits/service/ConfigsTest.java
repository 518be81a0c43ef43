package io.leadcredits.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.leadcredits.ClusterSettings;
import io.leadcredits.Settings;
import io.leadcredits.cluster.BootstrapSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigsTest {
  @Test
  void flagsOverrideTheConfiguration() {
    Config config = Configs.load(Map.of("leadcredits.http.port", 9000));

    assertThat(config.getInt("leadcredits.http.port")).isEqualTo(9000);
  }

  @Test
  void theHttpRequestTimeoutStaysAboveTheAskTimeout() {
    Config defaults = Configs.load(Map.of());
    Config slow = Configs.load(Map.of("leadcredits.ask-timeout", "30s"));

    assertThat(defaults.getDuration("pekko.http.server.request-timeout"))
        .isGreaterThan(defaults.getDuration("leadcredits.ask-timeout"));
    assertThat(slow.getDuration("pekko.http.server.request-timeout"))
        .isEqualTo(Duration.ofSeconds(30).plus(Configs.REQUEST_TIMEOUT_MARGIN));
  }

  @Test
  void aBadLogSettingStopsTheStart() {
    assertThat(Settings.fromConfig(Configs.load(Map.of())).engine()).isNotNull();
    assertThatThrownBy(
            () -> Settings.fromConfig(Configs.load(Map.of("leadcredits.log.format", "xml"))))
        .hasMessageContaining("LEADCREDITS_LOG_FORMAT must be json or text");
    assertThatThrownBy(
            () -> Settings.fromConfig(Configs.load(Map.of("leadcredits.log.level", "LOUD"))))
        .hasMessageContaining("LEADCREDITS_LOG_LEVEL must be");
    assertThat(Settings.fromConfig(Configs.load(Map.of("leadcredits.log.level", "debug"))))
        .isNotNull();
  }

  @Test
  void anIdentityProviderNeedsItsIssuerAndAudienceAndBadClaimPathsStopTheStart() {
    assertThat(Settings.fromConfig(Configs.load(Map.of())).identityProvider().enabled()).isFalse();
    String url = "https://sso.example.com/realms/market/protocol/openid-connect/certs";
    assertThatThrownBy(
            () -> Settings.fromConfig(Configs.load(Map.of("leadcredits.jwt.jwks-url", url))))
        .hasMessageContaining("LEADCREDITS_JWT_ISSUER is required");
    assertThatThrownBy(
            () ->
                Settings.fromConfig(
                    Configs.load(
                        Map.of(
                            "leadcredits.jwt.jwks-url",
                            url,
                            "leadcredits.jwt.issuer",
                            "https://sso.example.com/realms/market"))))
        .hasMessageContaining("LEADCREDITS_JWT_AUDIENCE is required");
    assertThatThrownBy(
            () ->
                Settings.fromConfig(Configs.load(Map.of("leadcredits.jwt.jwks-url", "ftp://x/k"))))
        .hasMessageContaining("LEADCREDITS_JWT_JWKS_URL must be");
    assertThatThrownBy(
            () ->
                Settings.fromConfig(
                    Configs.load(Map.of("leadcredits.jwt.role-claim", "realm_access..roles"))))
        .hasMessageContaining("LEADCREDITS_JWT_ROLE_CLAIM");
    var on =
        Settings.fromConfig(
                Configs.load(
                    Map.of(
                        "leadcredits.jwt.jwks-url", url,
                        "leadcredits.jwt.issuer", "https://sso.example.com/realms/market",
                        "leadcredits.jwt.audience", "leadcredits-api",
                        "leadcredits.jwt.role-claim", "realm_access.roles")))
            .identityProvider();
    assertThat(on.enabled()).isTrue();
    assertThat(on.roleClaim()).isEqualTo("realm_access.roles");
    assertThat(on.subjectClaim()).isEqualTo("sub");
    assertThat(on.unknownKeyRefreshMin()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theKafkaSinkIsOffUntilBrokersAreGivenAndBadKafkaSettingsStopTheStart() {
    Settings defaults = Settings.fromConfig(Configs.load(Map.of()));
    assertThat(defaults.kafka().enabled()).isFalse();
    assertThat(defaults.kafka().topic()).isEqualTo("leadcredits.events");
    Settings on =
        Settings.fromConfig(
            Configs.load(
                Map.of(
                    "leadcredits.kafka.bootstrap-servers",
                    "kafka-1:9092, kafka-2:9092",
                    "leadcredits.kafka.topic",
                    "ledger.events")));
    assertThat(on.kafka().enabled()).isTrue();
    assertThat(on.kafka().bootstrapServers()).containsExactly("kafka-1:9092", "kafka-2:9092");
    assertThat(on.kafka().topic()).isEqualTo("ledger.events");
    for (String servers :
        List.of("kafka-1", "kafka-1:0", "kafka-1:99999", "pekko://x@kafka:9092")) {
      assertThatThrownBy(
              () ->
                  Settings.fromConfig(
                      Configs.load(Map.of("leadcredits.kafka.bootstrap-servers", servers))))
          .as(servers)
          .hasMessageContaining("LEADCREDITS_KAFKA_BOOTSTRAP_SERVERS");
    }
    for (String topic : List.of("", "..", "ledger events", "x".repeat(250))) {
      assertThatThrownBy(
              () -> Settings.fromConfig(Configs.load(Map.of("leadcredits.kafka.topic", topic))))
          .as(topic)
          .hasMessageContaining("LEADCREDITS_KAFKA_TOPIC");
    }
  }

  @Test
  void wiresClusterPersistenceAndSerialization() {
    Config config = Configs.load(Map.of());

    assertThat(config.getString("pekko.actor.provider")).isEqualTo("cluster");
    assertThat(config.getString("pekko.cluster.downing-provider-class"))
        .isEqualTo("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
    assertThat(config.getString("pekko.cluster.split-brain-resolver.active-strategy"))
        .isEqualTo("keep-majority");
    assertThat(config.getInt("pekko.cluster.sharding.number-of-shards")).isEqualTo(100);
    assertThat(
            config.getDuration(
                "pekko.cluster.sharding.passivation.leadcredits-strategy.idle-entity.timeout"))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(config.getString("pekko.cluster.sharding.passivation.strategy"))
        .isEqualTo("leadcredits-strategy");
    assertThat(
            config.getInt(
                "pekko.cluster.sharding.passivation.leadcredits-strategy.active-entity-limit"))
        .as("400k per node, split between the account and the lead regions")
        .isEqualTo(200_000);
    assertThat(config.getString("pekko.persistence.journal.plugin")).isEqualTo("jdbc-journal");
    assertThat(config.getString("pekko.persistence.snapshot-store.plugin"))
        .isEqualTo("jdbc-snapshot-store");
    assertThat(config.getDuration("jdbc-read-journal.refresh-interval"))
        .isEqualTo(Duration.ofMillis(200));
    assertThat(
            config.getString(
                "pekko.actor.serialization-bindings.\"io.leadcredits.JsonSerializable\""))
        .isEqualTo("jackson-json");
    assertThat(config.getBytes("pekko.http.server.parsing.max-content-length"))
        .isEqualTo(64L * 1024);
  }

  @Test
  void withoutSeedNodesTheNodeIsAClusterOfItselfThatPekkoDoesNotExit() {
    Config config = Configs.load(Map.of());

    assertThat(config.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    assertThat(config.getBoolean("pekko.coordinated-shutdown.exit-jvm")).isFalse();
    assertThat(config.getInt("pekko.remote.artery.canonical.port")).isZero();
  }

  @Test
  void clusterSettingsBecomePekkoSettings() {
    Config config =
        Configs.load(
            Map.of(
                "leadcredits.cluster.host", "10.0.0.7",
                "leadcredits.cluster.port", 2552,
                "leadcredits.cluster.seed-nodes", "10.0.0.6:2551, 10.0.0.7:2552",
                "leadcredits.cluster.split-brain-resolver", "keep-oldest",
                "leadcredits.cluster.active-entities-max", 20_000));

    assertThat(config.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("10.0.0.7");
    assertThat(config.getInt("pekko.remote.artery.canonical.port")).isEqualTo(2552);
    assertThat(config.getStringList("pekko.cluster.seed-nodes"))
        .as("Pekko must not join on its own: the service joins after asking the database")
        .isEmpty();
    assertThat(ClusterSettings.clustered(config)).isTrue();
    assertThat(ClusterSettings.fromConfig(config.getConfig("leadcredits.cluster")).seedNodes())
        .containsExactly("10.0.0.6:2551", "10.0.0.7:2552");
    assertThat(ClusterSettings.fromConfig(config.getConfig("leadcredits.cluster")).seedAddresses())
        .extracting(Object::toString)
        .containsExactly("pekko://leadcredits@10.0.0.6:2551", "pekko://leadcredits@10.0.0.7:2552");
    assertThat(config.getString("pekko.cluster.split-brain-resolver.active-strategy"))
        .isEqualTo("keep-oldest");
    assertThat(config.getString("pekko.cluster.split-brain-resolver.down-all-when-unstable"))
        .isEqualTo("on");
    assertThat(config.getBoolean("pekko.coordinated-shutdown.exit-jvm"))
        .as("a downed node exits")
        .isTrue();
    assertThat(config.getBoolean("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook"))
        .as("SIGTERM leaves the cluster gracefully")
        .isTrue();
    assertThat(config.getDuration("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes"))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(
            config.getInt(
                "pekko.cluster.sharding.passivation.leadcredits-strategy.active-entity-limit"))
        .isEqualTo(10_000);
  }

  @Test
  void badClusterSettingsStopTheStart() {
    assertThatThrownBy(
            () -> Configs.load(Map.of("leadcredits.cluster.seed-nodes", "10.0.0.6:2551")))
        .hasMessageContaining("cluster.port must be set");
    assertThatThrownBy(
            () ->
                Configs.load(
                    Map.of(
                        "leadcredits.cluster.port",
                        2551,
                        "leadcredits.cluster.seed-nodes",
                        "pekko://x@10.0.0.6")))
        .hasMessageContaining("seed node must be host:port");
    assertThatThrownBy(
            () -> Configs.load(Map.of("leadcredits.cluster.split-brain-resolver", "static-quorum")))
        .hasMessageContaining("split-brain-resolver must be one of");
    assertThatThrownBy(
            () ->
                Configs.load(Map.of("leadcredits.cluster.split-brain-resolver", "lease-majority")))
        .as("a lease decides between the sides of a cluster; a single node has no sides")
        .hasMessageContaining("lease-majority is for a cluster of several nodes");
    assertThatThrownBy(() -> Configs.load(Map.of("leadcredits.cluster.active-entities-max", 10)))
        .hasMessageContaining("active-entities-max");
  }

  @Test
  void withoutBootstrapPekkoManagementIsNotConfigured() {
    Config config = Configs.load(Map.of());

    assertThat(ClusterSettings.clustered(config)).isFalse();
    assertThat(config.getString("pekko.management.http.hostname")).isEqualTo("<hostname>");
    assertThat(
            config.getInt(
                "pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"))
        .isEqualTo(2);
  }

  @Test
  void bootstrapSettingsBecomePekkoSettings() {
    Config config =
        Configs.load(
            Map.of(
                "leadcredits.cluster.host", "10.0.0.7",
                "leadcredits.cluster.port", 2552,
                "leadcredits.cluster.bootstrap.method", "config",
                "leadcredits.cluster.bootstrap.management-port", 7700,
                "leadcredits.cluster.bootstrap.service-name", "lc.example",
                "leadcredits.cluster.bootstrap.required-contact-points", 3,
                "leadcredits.cluster.bootstrap.endpoints", "10.0.0.6:7700,10.0.0.7:7700, h8:7700"));

    assertThat(ClusterSettings.clustered(config)).as("clustered without seed nodes").isTrue();
    assertThat(config.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    assertThat(config.getBoolean("pekko.coordinated-shutdown.exit-jvm"))
        .as("a downed node exits")
        .isTrue();
    assertThat(config.getString("pekko.management.http.hostname"))
        .as("management serves on the cluster host only")
        .isEqualTo("10.0.0.7");
    assertThat(config.getInt("pekko.management.http.port")).isEqualTo(7700);
    String discovery = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    assertThat(config.getString(discovery + "discovery-method")).isEqualTo("config");
    assertThat(config.getString(discovery + "service-name")).isEqualTo("lc.example");
    assertThat(config.getInt(discovery + "required-contact-point-nr")).isEqualTo(3);
    List<String> endpoints = new ArrayList<>();
    for (Config e :
        config.getConfigList("pekko.discovery.config.services.\"lc.example\".endpoints")) {
      endpoints.add(e.getString("host") + ":" + e.getInt("port"));
    }
    assertThat(endpoints).containsExactly("10.0.0.6:7700", "10.0.0.7:7700", "h8:7700");

    Config k8s = Configs.load(Map.of("leadcredits.cluster.bootstrap.method", "kubernetes-api"));
    assertThat(k8s.getString(discovery + "discovery-method")).isEqualTo("kubernetes-api");
    assertThat(k8s.getInt("pekko.management.http.port"))
        .isEqualTo(BootstrapSettings.MANAGEMENT_PORT_DEFAULT);
    assertThat(k8s.getString("pekko.discovery.kubernetes-api.pod-label-selector"))
        .isEqualTo("app=%s");
    Config dns = Configs.load(Map.of("leadcredits.cluster.bootstrap.method", "dns"));
    assertThat(dns.getString(discovery + "discovery-method")).isEqualTo("pekko-dns");
  }

  @Test
  void badBootstrapCombinationsStopTheStart() {
    assertThatThrownBy(
            () ->
                Configs.load(
                    Map.of(
                        "leadcredits.cluster.port", 2551,
                        "leadcredits.cluster.seed-nodes", "10.0.0.6:2551",
                        "leadcredits.cluster.bootstrap.method", "kubernetes-api")))
        .hasMessageContaining(
            "LEADCREDITS_SEED_NODES and LEADCREDITS_CLUSTER_BOOTSTRAP are both set");
    assertThatThrownBy(
            () -> Configs.load(Map.of("leadcredits.cluster.bootstrap.method", "zookeeper")))
        .hasMessageContaining("LEADCREDITS_CLUSTER_BOOTSTRAP must be off, kubernetes-api, dns or");
    assertThatThrownBy(() -> Configs.load(Map.of("leadcredits.cluster.bootstrap.method", "config")))
        .hasMessageContaining("config needs LEADCREDITS_BOOTSTRAP_ENDPOINTS");
    assertThatThrownBy(
            () ->
                Configs.load(
                    Map.of(
                        "leadcredits.cluster.bootstrap.method", "dns",
                        "leadcredits.cluster.bootstrap.endpoints", "10.0.0.6:7626")))
        .hasMessageContaining("LEADCREDITS_BOOTSTRAP_ENDPOINTS is only read with");
    assertThatThrownBy(
            () ->
                Configs.load(
                    Map.of(
                        "leadcredits.cluster.bootstrap.method", "config",
                        "leadcredits.cluster.bootstrap.required-contact-points", 3,
                        "leadcredits.cluster.bootstrap.endpoints", "a:7626,b:7626")))
        .hasMessageContaining("(3) is more than the 2 LEADCREDITS_BOOTSTRAP_ENDPOINTS");
    assertThatThrownBy(
            () ->
                Configs.load(
                    Map.of(
                        "leadcredits.cluster.bootstrap.method", "config",
                        "leadcredits.cluster.bootstrap.endpoints", "a:7626,pekko://b")))
        .hasMessageContaining("bootstrap endpoint must be host:port: pekko://b");
    assertThatThrownBy(
            () ->
                Configs.load(
                    Map.of(
                        "leadcredits.cluster.bootstrap.method",
                        "dns",
                        "leadcredits.cluster.bootstrap.management-port",
                        0)))
        .hasMessageContaining("LEADCREDITS_MANAGEMENT_PORT must be 1..65535");
    assertThatThrownBy(
            () ->
                Configs.load(
                    Map.of(
                        "leadcredits.cluster.bootstrap.method",
                        "dns",
                        "leadcredits.cluster.bootstrap.required-contact-points",
                        0)))
        .hasMessageContaining("REQUIRED_CONTACT_POINTS must be 1..");
  }

  @Test
  void leaseMajorityTakesAKubernetesLease() throws Exception {
    Config config =
        Configs.load(
            Map.of(
                "leadcredits.cluster.bootstrap.method", "kubernetes-api",
                "leadcredits.cluster.split-brain-resolver", "lease-majority"));

    assertThat(config.getString("pekko.cluster.split-brain-resolver.active-strategy"))
        .isEqualTo("lease-majority");
    String implementation =
        config.getString("pekko.cluster.split-brain-resolver.lease-majority.lease-implementation");
    assertThat(implementation).isEqualTo("pekko.coordination.lease.kubernetes");
    String leaseClass = config.getString(implementation + ".lease-class");
    assertThat(Class.forName(leaseClass))
        .as("the lease Pekko will instantiate is on the classpath")
        .isAssignableTo(org.apache.pekko.coordination.lease.scaladsl.Lease.class);
    assertThat(leaseClass).endsWith("NativeKubernetesLease");
  }
}
