package io.leadcredits.baseline;

import io.leadcredits.EngineKind;
import io.leadcredits.Settings;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.metrics.Metrics;
import io.leadcredits.persistence.Database;
import java.time.Clock;

/**
 * Builds a baseline engine for the benchmark: {@code locks} or {@code sql}, on its own connection
 * pool of {@code baseline.pool-size}, on the service's database (already migrated), after applying
 * the baselines' own schema to it ({@link BaselineSchema}, tables {@code bl_*}). The engine is
 * {@link AutoCloseable}: closing it closes its pool and threads.
 */
public final class Baselines {
  private Baselines() {}

  public static CreditEngine create(
      EngineKind kind, Database database, Settings settings, Clock clock, Metrics metrics) {
    if (kind == EngineKind.ACTORS) {
      throw new IllegalArgumentException("the actor engine is not a baseline");
    }
    BaselineSchema.migrate(database.dataSource());
    TransactionRunner db =
        new TransactionRunner(
            database.jdbcUrl(),
            database.user(),
            database.password(),
            settings.baselinePoolSize(),
            settings.askTimeout());
    return kind == EngineKind.LOCKS
        ? new MeteredBaseline(new LockEngine(db, settings, clock), metrics)
        : new MeteredBaseline(new SqlEngine(db, settings, clock), metrics);
  }
}
