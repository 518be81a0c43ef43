package io.leadcredits.bench;

import io.leadcredits.persistence.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The PostgreSQL server the benchmark runs on, started once: the one LEADCREDITS_DB_URL names, or
 * an embedded one in a temporary directory. Every run gets a fresh database on it, dropped after.
 * The embedded server is set up as the service's own ({@link Database#embeddedServer}): a 2xx in
 * this benchmark means the change is on disk, as in production.
 */
final class BenchDatabase implements AutoCloseable {
  private static final Duration startupWaitMax = Duration.ofSeconds(60);

  private final EmbeddedPostgres embedded; // null for an external server
  private final Path dataDir; // null for an external server
  private final String adminUrl;
  private final String user;
  private final String password;

  private BenchDatabase(
      EmbeddedPostgres embedded, Path dataDir, String adminUrl, String user, String password) {
    this.embedded = embedded;
    this.dataDir = dataDir;
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
  }

  static BenchDatabase start() throws IOException {
    String url = System.getenv("LEADCREDITS_DB_URL");
    if (url != null && !url.isBlank()) {
      return new BenchDatabase(
          null, null, url, env("LEADCREDITS_DB_USER"), env("LEADCREDITS_DB_PASSWORD"));
    }
    Path dir = Files.createTempDirectory("leadcredits-bench-pg");
    EmbeddedPostgres pg =
        Database.embeddedServer()
            .setDataDirectory(dir)
            .setCleanDataDirectory(true)
            // Three services' pools at most at once, plus the probes: far below this.
            .setServerConfig("max_connections", "300")
            .setPGStartupWait(startupWaitMax)
            .start();
    return new BenchDatabase(pg, dir, pg.getJdbcUrl("postgres", "postgres"), "postgres", "");
  }

  /** Creates a database and returns its JDBC URL. */
  String create(String name) throws SQLException {
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + name);
    }
    return urlOf(name);
  }

  void drop(String name) {
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("bench: could not drop database " + name + ": " + e.getMessage());
    }
  }

  String urlOf(String name) {
    // jdbc:postgresql://host:port/db?params -> the same with another database
    int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
    int query = adminUrl.indexOf('?', slash);
    return adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  String version() throws SQLException {
    try (Connection c = admin();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      return "PostgreSQL " + rs.getString(1) + (embedded != null ? " (embedded)" : "");
    }
  }

  /** The values of {@code names} as the server has them now (pg_settings), in that order. */
  Map<String, String> settings(List<String> names) throws SQLException {
    Map<String, String> settings = new LinkedHashMap<>();
    try (Connection c = admin();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT name, setting, unit FROM pg_settings WHERE name = ANY (?)")) {
      s.setArray(1, c.createArrayOf("text", names.toArray()));
      Map<String, String> found = new HashMap<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String unit = rs.getString(3);
          found.put(rs.getString(1), rs.getString(2) + (unit == null ? "" : " × " + unit));
        }
      }
      for (String name : names) {
        settings.put(name, found.get(name));
      }
    }
    return settings;
  }

  /**
   * Gathers the planner's statistics of a database, as autovacuum would have for a service that has
   * been up a while: a fresh database is never analyzed within a run (autovacuum looks once a
   * minute), and plans cached on its empty tables kept scanning a hot account's whole ledger.
   */
  void analyze(String database) throws SQLException {
    try (Connection c = DriverManager.getConnection(urlOf(database), user, password);
        Statement s = c.createStatement()) {
      s.execute("ANALYZE");
    }
  }

  /** Commits so far in a database and rows in its journal: the journal probe's counters. */
  JournalCounters counters(String database) throws SQLException {
    long commits;
    try (Connection c = admin();
        PreparedStatement s =
            c.prepareStatement("SELECT xact_commit FROM pg_stat_database WHERE datname = ?")) {
      s.setString(1, database);
      try (ResultSet rs = s.executeQuery()) {
        commits = rs.next() ? rs.getLong(1) : 0;
      }
    }
    long events;
    try (Connection c = DriverManager.getConnection(urlOf(database), user, password);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM event_journal")) {
      rs.next();
      events = rs.getLong(1);
    }
    return new JournalCounters(commits, events, System.nanoTime());
  }

  /**
   * The size of the newest snapshot of one entity in a database ({@code Account|agency}), 0 when it
   * has none yet: a snapshot that grows with the entity's traffic shows here.
   */
  long newestSnapshotBytes(String database, String persistenceId) throws SQLException {
    try (Connection c = DriverManager.getConnection(urlOf(database), user, password);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT length(snapshot_payload) FROM snapshot WHERE persistence_id = ?"
                    + " ORDER BY sequence_number DESC LIMIT 1")) {
      s.setString(1, persistenceId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** The journal's size on disk in a database: table, indexes and TOAST. */
  long journalBytes(String database) throws SQLException {
    try (Connection c = DriverManager.getConnection(urlOf(database), user, password);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('event_journal')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** What PostgreSQL has counted of a database's journal so far. */
  record JournalActivity(long events, long lookupScans, long lookupRowsRead) {
    JournalActivity since(JournalActivity before) {
      return new JournalActivity(
          events - before.events,
          lookupScans - before.lookupScans,
          lookupRowsRead - before.lookupRowsRead);
    }
  }

  /**
   * Rows inserted into the journal, and scans of the index the accounts look forgotten ids up in
   * with the rows they read (whatever its name: the index was replaced once).
   */
  JournalActivity journalActivity(String database) throws SQLException {
    try (Connection c = DriverManager.getConnection(urlOf(database), user, password);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT coalesce(sum(n_tup_ins), 0) FROM pg_stat_user_tables"
                    + " WHERE relname = 'event_journal'),"
                    + " coalesce(sum(idx_scan), 0), coalesce(sum(idx_tup_read), 0)"
                    + " FROM pg_stat_user_indexes"
                    + " WHERE indexrelname LIKE 'event_journal_account_transactions%'")) {
      rs.next();
      return new JournalActivity(rs.getLong(1), rs.getLong(2), rs.getLong(3));
    }
  }

  private Connection admin() throws SQLException {
    return DriverManager.getConnection(adminUrl, user, password);
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close(); // zonky removes the data directory it was told to clean
      if (Files.exists(dataDir)) {
        try (Stream<Path> files = Files.walk(dataDir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null ? "" : v;
  }
}
