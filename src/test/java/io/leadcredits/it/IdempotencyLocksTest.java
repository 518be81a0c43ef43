package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link IdempotencyTest} against the lock baseline. */
class IdempotencyLocksTest extends IdempotencyTest {
  @Override
  EngineKind engine() {
    return EngineKind.LOCKS;
  }
}
