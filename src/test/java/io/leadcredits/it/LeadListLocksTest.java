package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link LeadListTest} against the lock baseline. */
class LeadListLocksTest extends LeadListTest {
  @Override
  EngineKind engine() {
    return EngineKind.LOCKS;
  }
}
