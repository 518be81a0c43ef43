package io.leadcredits.baseline;

import io.leadcredits.EngineKind;
import io.leadcredits.Settings;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.metrics.Metrics;
import io.leadcredits.persistence.Database;
import io.leadcredits.service.EngineProvider;
import java.time.Clock;
import java.util.Set;

/** The baselines, offered to the service when the benchmark is on its class path. */
public final class BaselineEngines implements EngineProvider {
  @Override
  public Set<EngineKind> kinds() {
    return Set.of(EngineKind.LOCKS, EngineKind.SQL);
  }

  @Override
  public CreditEngine create(
      EngineKind kind, Database database, Settings settings, Clock clock, Metrics metrics) {
    return Baselines.create(kind, database, settings, clock, metrics);
  }
}
