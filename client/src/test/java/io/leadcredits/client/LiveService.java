package io.leadcredits.client;

import io.leadcredits.EngineKind;
import io.leadcredits.auth.Role;
import io.leadcredits.support.RunningService;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** A running service and clients of it signed in as an admin or as a tradie. */
final class LiveService implements AutoCloseable {
  final RunningService service;

  LiveService(Path dataDir) {
    service =
        new RunningService(
            dataDir, EngineKind.ACTORS, Map.of("leadcredits.webhooks.allow-private", true));
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + service.engine().httpPort());
  }

  LeadCredits admin() {
    return LeadCredits.builder(uri()).token(service.admin()).build();
  }

  LeadCredits tradie(String accountId) {
    return LeadCredits.builder(uri()).token(service.token(accountId, Role.TRADIE)).build();
  }

  @Override
  public void close() {
    service.close();
  }
}
