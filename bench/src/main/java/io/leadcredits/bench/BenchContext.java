package io.leadcredits.bench;

import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.Tokens;

/**
 * What a scenario works with during one run: the client (for seeding and checks, not the measured
 * load), the log of what the clients were told, the checks of the bodies read, and the sizes.
 */
record BenchContext(HttpApi api, OperationLog log, int clients, boolean quick, ReadChecks reads) {

  BenchContext(HttpApi api, OperationLog log, int clients, boolean quick) {
    this(api, log, clients, quick, new ReadChecks());
  }

  /** Requests in flight while seeding: enough to keep a 2-core server busy. */
  static final int seedConcurrency = 128;

  Tokens tokens() {
    return api.tokens();
  }
}
