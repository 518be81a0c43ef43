package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link LeadListTest} against the actor engine. */
class LeadListActorsTest extends LeadListTest {
  @Override
  EngineKind engine() {
    return EngineKind.ACTORS;
  }
}
