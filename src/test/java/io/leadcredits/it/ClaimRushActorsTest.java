package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link ClaimRushTest} against the actor engine. */
class ClaimRushActorsTest extends ClaimRushTest {
  @Override
  EngineKind engine() {
    return EngineKind.ACTORS;
  }
}
