package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link BaselineRoutesTest} against the lock baseline. */
class BaselineRoutesLocksTest extends BaselineRoutesTest {
  @Override
  EngineKind engine() {
    return EngineKind.LOCKS;
  }
}
