package io.leadcredits.service;

import io.leadcredits.EngineKind;
import io.leadcredits.Settings;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.metrics.Metrics;
import io.leadcredits.persistence.Database;
import java.time.Clock;
import java.util.Set;

/**
 * A credit engine other than the actors, behind the same HTTP API: the benchmark's baselines, found
 * on the class path through {@link java.util.ServiceLoader}, so the service carries none of them.
 * The engine it creates may be {@link AutoCloseable}; the service closes it on shutdown.
 */
public interface EngineProvider {

  /** The engines this provider creates. */
  Set<EngineKind> kinds();

  CreditEngine create(
      EngineKind kind, Database database, Settings settings, Clock clock, Metrics metrics);
}
