package io.leadcredits.persistence;

import io.leadcredits.Settings;
import io.leadcredits.service.Configs;
import java.nio.file.Path;
import java.util.Map;

/** Settings for an embedded PostgreSQL in a test's own directory, whatever the environment says. */
final class TestDatabases {
  private TestDatabases() {}

  static Settings embeddedIn(Path dataDir) {
    return Settings.fromConfig(
        Configs.load(Map.of("leadcredits.data-dir", dataDir.toString(), "leadcredits.db.url", "")));
  }
}
