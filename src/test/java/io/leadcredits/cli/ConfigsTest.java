package io.leadcredits.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.leadcredits.Settings;
import java.time.Duration;
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
                "pekko.cluster.sharding.passivation.default-idle-strategy.idle-entity.timeout"))
        .isEqualTo(Duration.ofMinutes(2));
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
}
