package io.leadcredits.baseline;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The baselines' tables and functions ({@code bl_*}), which only a baseline engine needs: applied
 * by the engine itself when it starts, never by the service's own migrations, so a database the
 * product runs on does not get them. They live in {@code db/baseline} ({@code
 * V1__baseline_tables.sql}; {@code R__baseline_functions.sql}, every function as it runs) with a
 * schema history of their own, {@code baseline_schema_history}, next to the service's.
 *
 * <p>Run after the service's migrations, always: the service's V8 drops the {@code bl_*} objects
 * that its own V3, V5 and V6 once created, and then these create them again.
 */
final class BaselineSchema {
  static final String LOCATION = "classpath:db/baseline";
  static final String HISTORY_TABLE = "baseline_schema_history";

  private BaselineSchema() {}

  /** Applies what is pending of {@code db/baseline} to a database the service has migrated. */
  static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations(LOCATION)
        .table(HISTORY_TABLE)
        // The service's tables are there already, and Flyway refuses a schema that is not empty
        // but has no history table of its own unless it first records a baseline. Version 0 marks
        // that start below V1, so V1 still runs.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .baselineDescription("after the service migrations")
        .load()
        .migrate();
  }
}
