package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link MetricsTest} against the lock baseline. */
class MetricsLocksTest extends MetricsTest {
  @Override
  EngineKind engine() {
    return EngineKind.LOCKS;
  }
}
