package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.leadcredits.service.Configs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path dataDir;

  @Test
  void migratesTheSchemaAndKeepsDataAcrossRestarts() throws Exception {
    try (Database db = Database.start(TestDatabases.embeddedIn(dataDir))) {
      execute(db, "INSERT INTO wakeups VALUES ('account', 'a1', now())");
      assertThat(query(db, "SELECT count(*) FROM flyway_schema_history WHERE success"))
          .isEqualTo(shippedMigrations());
      assertThat(query(db, "SELECT count(*) FROM event_journal")).isZero();
      assertThat(query(db, "SELECT count(*) FROM snapshot")).isZero();
      assertThat(query(db, "SELECT count(*) FROM event_tag")).isZero();
    }
    try (Database db = Database.start(TestDatabases.embeddedIn(dataDir))) {
      assertThat(query(db, "SELECT count(*) FROM wakeups WHERE entity_id = 'a1'")).isEqualTo(1);
      assertThat(query(db, "SELECT count(*) FROM flyway_schema_history"))
          .isEqualTo(shippedMigrations());
    }
  }

  @Test
  void theEmbeddedServerFlushesEveryCommitToDisk() throws Exception {
    try (Database db = Database.start(TestDatabases.embeddedIn(dataDir))) {
      assertThat(text(db, "SHOW fsync")).isEqualTo("on");
      assertThat(text(db, "SHOW synchronous_commit")).isEqualTo("on");
      // Zero-filling each new WAL segment stalled the commit that crossed into it.
      assertThat(text(db, "SHOW wal_init_zero")).isEqualTo("off");
    }
  }

  private static String text(Database db, String sql) throws Exception {
    try (var c = db.dataSource().getConnection();
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Every migration the build ships, applied once: none skipped, none re-run on restart. */
  private static long shippedMigrations() throws Exception {
    try (var files =
        java.nio.file.Files.list(
            java.nio.file.Path.of(DatabaseTest.class.getResource("/db/migration").toURI()))) {
      return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
  }

  @Test
  void refusesASecondServiceOnTheSameDataDirectory() {
    try (Database first = Database.start(TestDatabases.embeddedIn(dataDir))) {
      assertThat(first.jdbcUrl()).startsWith("jdbc:postgresql://");
      assertThatThrownBy(() -> Database.start(TestDatabases.embeddedIn(dataDir)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another leadcredits process");
    }
  }

  @Test
  void fillsThePersistencePluginsSharedDatabase() {
    try (Database db = Database.start(TestDatabases.embeddedIn(dataDir))) {
      Config config = db.pekkoOverrides().withFallback(Configs.load(Map.of()));
      String slick = "pekko-persistence-jdbc.shared-databases.slick.";
      assertThat(config.getString(slick + "db.url")).isEqualTo(db.jdbcUrl());
      assertThat(config.getString(slick + "db.user")).isEqualTo(db.user());
      assertThat(config.getString(slick + "db.password")).isEqualTo(db.password());
      assertThat(config.getString(slick + "profile")).isEqualTo("slick.jdbc.PostgresProfile$");
      for (String plugin : List.of("jdbc-journal", "jdbc-snapshot-store", "jdbc-read-journal")) {
        assertThat(config.getString(plugin + ".use-shared-db")).isEqualTo("slick");
      }
    }
  }

  @Test
  void restartsAfterAProcessDiedLeavingItsPostgresRunning() throws Exception {
    Process child = startChild();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("ready");
    }
    child.destroyForcibly().onExit().get(30, TimeUnit.SECONDS);
    long orphanPid =
        Long.parseLong(
            Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
    ProcessHandle orphan = ProcessHandle.of(orphanPid).orElseThrow();
    assertThat(orphan.isAlive()).as("the killed JVM left its PostgreSQL running").isTrue();

    try (Database db = Database.start(TestDatabases.embeddedIn(dataDir))) {
      assertThat(orphan.isAlive()).isFalse();
      assertThat(query(db, "SELECT count(*) FROM wakeups WHERE entity_id = 'before-crash'"))
          .isEqualTo(1);
    }
  }

  private Process startChild() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            DatabaseChild.class.getName(),
            dataDir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static void execute(Database db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  private static long query(Database db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
