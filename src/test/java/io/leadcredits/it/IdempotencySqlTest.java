package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link IdempotencyTest} against the one-round-trip SQL baseline. */
class IdempotencySqlTest extends IdempotencyTest {
  @Override
  EngineKind engine() {
    return EngineKind.SQL;
  }
}
