package io.leadcredits.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.EngineKind;
import io.leadcredits.Settings;
import io.leadcredits.account.AccountReply;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.metrics.Metrics;
import io.leadcredits.persistence.Database;
import io.leadcredits.service.Configs;
import io.leadcredits.support.TestPostgres;
import io.leadcredits.testkit.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the baselines' schema lives: a database the service migrates gets none of it, a baseline
 * engine applies it after the service's migrations, and a database whose service history still
 * carries the baselines' old V3, V5 and V6 starts and gets them back from their own location. One
 * embedded PostgreSQL, one database per test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BaselineSchemaTest {
  private static final String USER = "postgres";

  /** V3, V5 and V6 as the service shipped them before the baselines' schema moved out. */
  private static final String REMOVED_MIGRATIONS = "classpath:db/removed-baseline-migrations";

  /** The newest service migration a database could have before the move. */
  private static final String LAST_VERSION_BEFORE_THE_MOVE = "7";

  private static final List<String> TABLES =
      List.of("bl_accounts", "bl_holds", "bl_ledger", "bl_leads", "bl_claims");
  private static final List<String> TYPES =
      List.of("bl_account_result", "bl_lead_result", "bl_claim_result");
  private static final List<String> SOME_FUNCTIONS =
      List.of("bl_credit", "bl_claim", "bl_end_hold", "bl_ledger_append_only");

  private EmbeddedPostgres server;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    server = TestPostgres.start(dir, ServiceProcess.freePort());
  }

  @AfterAll
  void stop() throws IOException {
    server.close();
  }

  @Test
  void theServiceAloneCreatesNoBaselineObject() throws SQLException {
    try (Database db = service(newDatabase("actors_only"))) {
      assertThat(baselineObjects(db)).isEmpty();
      assertThat(tableExists(db, BaselineSchema.HISTORY_TABLE)).isFalse();
    }
  }

  @Test
  void baselinesApplyTheirSchemaAfterTheServicesAndKeepItAcrossRestarts() throws Exception {
    String url = newDatabase("bench_run");
    try (Database db = service(url)) {
      BaselineSchema.migrate(db.dataSource());
      assertThat(baselineObjects(db)).containsAll(TABLES).containsAll(TYPES);
      assertThat(baselineObjects(db)).containsAll(SOME_FUNCTIONS);
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("SELECT * FROM bl_credit('kept', 'top-up', 40, '{}', 'CREDIT|40', now())");
      }
    }
    try (Database db = service(url)) {
      BaselineSchema.migrate(db.dataSource());
      assertThat(query(db, "SELECT balance FROM bl_accounts WHERE account_id = 'kept'"))
          .isEqualTo(40);
      // The baseline mark, V1 and the functions, each once: a restart applies nothing again.
      assertThat(query(db, "SELECT count(*) FROM " + BaselineSchema.HISTORY_TABLE)).isEqualTo(3);
    }
  }

  @Test
  void aDatabaseThatRanTheBaselinesAsServiceMigrationsStartsAndGetsThemBack() throws Exception {
    String url = newDatabase("before_the_move");
    migrateAsBeforeTheMove(url);
    // A locks or sql run on it left rows in the baselines' tables.
    try (Connection c = server.getDatabase(USER, "before_the_move").getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT * FROM bl_credit('old', 'top-up', 40, '{}', 'CREDIT|40', now())");
    }
    try (Database db = service(url)) {
      assertThat(baselineObjects(db)).isEmpty();
      assertThat(
              query(
                  db,
                  "SELECT count(*) FROM flyway_schema_history"
                      + " WHERE version IN ('3', '5', '6', '8') AND success"))
          .isEqualTo(4);

      Settings settings = settings(url);
      try (Metrics metrics = Metrics.prometheus()) {
        for (EngineKind kind : List.of(EngineKind.LOCKS, EngineKind.SQL)) {
          CreditEngine engine = Baselines.create(kind, db, settings, Clock.systemUTC(), metrics);
          try {
            claimsALead(engine, kind.label());
          } finally {
            ((AutoCloseable) engine).close();
          }
        }
      }
      assertThat(baselineObjects(db)).containsAll(TABLES).containsAll(TYPES);
    }
  }

  private static void claimsALead(CreditEngine engine, String prefix) {
    String lead = prefix + "-lead";
    String tradie = prefix + "-tradie";
    assertThat(join(engine.credit(tradie, "top-up", 50, Map.of())))
        .isInstanceOf(AccountReply.Accepted.class);
    join(engine.createLead(lead, 20, 1, null));
    ClaimReply.Claimed claimed = (ClaimReply.Claimed) join(engine.claim(lead, tradie));
    assertThat(claimed.result().balance()).isEqualTo(30);
    assertThat(join(engine.audit()).ok()).isTrue();
  }

  /**
   * The service's migrations of before the move: V1 to V7, the baselines' V3, V5, V6 among them.
   */
  private static void migrateAsBeforeTheMove(String url) {
    Flyway.configure()
        .dataSource(url, USER, null)
        .locations("classpath:db/migration", REMOVED_MIGRATIONS)
        .target(LAST_VERSION_BEFORE_THE_MOVE)
        .load()
        .migrate();
  }

  private String newDatabase(String name) throws SQLException {
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return server.getJdbcUrl(USER, name);
  }

  private static Database service(String url) {
    return Database.start(settings(url));
  }

  private static Settings settings(String url) {
    return Settings.fromConfig(
        Configs.load(Map.of("leadcredits.db.url", url, "leadcredits.db.user", USER)));
  }

  /** Every table, index, sequence, view, function and type whose name starts with bl_. */
  private static List<String> baselineObjects(Database db) throws SQLException {
    String sql =
        "SELECT relname FROM pg_class WHERE relname LIKE 'bl\\_%'"
            + " UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE 'bl\\_%'"
            + " UNION ALL SELECT typname FROM pg_type WHERE typname LIKE 'bl\\_%'";
    List<String> names = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static boolean tableExists(Database db, String table) throws SQLException {
    return query(db, "SELECT count(*) FROM pg_class WHERE relname = '" + table + "'") > 0;
  }

  private static long query(Database db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
