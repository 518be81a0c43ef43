package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link BaselineRoutesTest} against the SQL baseline. */
class BaselineRoutesSqlTest extends BaselineRoutesTest {
  @Override
  EngineKind engine() {
    return EngineKind.SQL;
  }
}
