package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link MetricsTest} against the actor engine. */
class MetricsActorsTest extends MetricsTest {
  @Override
  EngineKind engine() {
    return EngineKind.ACTORS;
  }
}
