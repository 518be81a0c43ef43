package io.leadcredits.support;

import com.typesafe.config.ConfigFactory;
import io.leadcredits.Settings;

/** The shipped defaults, as the entity tests use them. */
public final class TestSettings {
  private TestSettings() {}

  public static Settings defaults() {
    return Settings.fromConfig(ConfigFactory.parseResources("leadcredits.conf").resolve());
  }
}
