package io.leadcredits.support;

import io.leadcredits.persistence.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A test-owned PostgreSQL server the test can stop and start again on the same data and port, as an
 * outage does. Durable like production: a commit it acknowledged is on disk.
 */
public final class TestPostgres {
  private TestPostgres() {}

  public static EmbeddedPostgres start(Path dataDir, int port) throws IOException {
    return Database.embeddedServer()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }
}
