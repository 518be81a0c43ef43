package io.leadcredits.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.leadcredits.ClusterSettings;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the service's configuration in one place, in order of precedence: command-line flags, then
 * Java system properties, then {@code LEADCREDITS_*} environment variables and application.conf,
 * then the libraries' reference.conf. Tests use it to get exactly what {@code leadcredits serve}
 * would run with.
 */
public final class Configs {
  /**
   * Room between our ask timeout (answered 503 with a problem body) and Pekko's request timeout.
   */
  static final Duration REQUEST_TIMEOUT_MARGIN = Duration.ofSeconds(2);

  private static final String REQUEST_TIMEOUT = "pekko.http.server.request-timeout";

  private Configs() {}

  /**
   * The full configuration with {@code flagOverrides} on top. Keys are config paths such as {@code
   * leadcredits.http.port}; values are strings, numbers or booleans.
   */
  public static Config load(Map<String, ?> flagOverrides) {
    Config flags = ConfigFactory.parseMap(flagOverrides, "command-line flags");
    Config config = flags.withFallback(ConfigFactory.load()).resolve();
    return requestTimeoutAboveAskTimeout(clustering(config));
  }

  /** The cluster settings become the Pekko settings they stand for; a bad one stops here. */
  private static Config clustering(Config config) {
    ClusterSettings cluster = ClusterSettings.fromConfig(config.getConfig("leadcredits.cluster"));
    return cluster.pekkoConfig().withFallback(config);
  }

  /**
   * A raised ask timeout must not be cut short by the HTTP server's own timeout (http.conf), which
   * would answer a bare 503 without our problem body and retry advice.
   */
  private static Config requestTimeoutAboveAskTimeout(Config config) {
    Duration needed = config.getDuration("leadcredits.ask-timeout").plus(REQUEST_TIMEOUT_MARGIN);
    if (config.hasPath(REQUEST_TIMEOUT)
        && config.getDuration(REQUEST_TIMEOUT).compareTo(needed) >= 0) {
      return config;
    }
    return config.withValue(
        REQUEST_TIMEOUT, ConfigValueFactory.fromAnyRef(needed.toMillis() + "ms"));
  }
}
