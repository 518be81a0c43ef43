package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link MetricsTest} against the SQL baseline. */
class MetricsSqlTest extends MetricsTest {
  @Override
  EngineKind engine() {
    return EngineKind.SQL;
  }
}
