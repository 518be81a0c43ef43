package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link ClaimRushTest} against the lock baseline. */
class ClaimRushLocksTest extends ClaimRushTest {
  @Override
  EngineKind engine() {
    return EngineKind.LOCKS;
  }
}
