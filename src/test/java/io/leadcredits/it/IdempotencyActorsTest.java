package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link IdempotencyTest} against the actor engine. */
class IdempotencyActorsTest extends IdempotencyTest {
  @Override
  EngineKind engine() {
    return EngineKind.ACTORS;
  }
}
