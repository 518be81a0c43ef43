package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link ClaimRushTest} against the one-round-trip SQL baseline. */
class ClaimRushSqlTest extends ClaimRushTest {
  @Override
  EngineKind engine() {
    return EngineKind.SQL;
  }
}
