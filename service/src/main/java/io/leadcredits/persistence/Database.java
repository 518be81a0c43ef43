package io.leadcredits.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.leadcredits.Settings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The service's PostgreSQL: the configured server when {@code leadcredits.db.url} is set, else an
 * embedded one whose files live in {@code dataDir/postgres} and survive restarts. Either way the
 * schema is migrated (Flyway, {@code db/migration}) before anything else touches it, so the journal
 * and the wake-up table exist by the time the actor system starts.
 *
 * <p>The embedded server belongs to one process at a time: a lock file in the data directory
 * refuses a second service on the same data, and a server orphaned by a killed process (its JVM
 * died, the server did not) is stopped before a fresh one starts.
 */
public final class Database implements AutoCloseable {
  /**
   * The service's own queries (wake-ups, audit) are few and short; the journal has its own pool.
   */
  private static final int POOL_SIZE = 4;

  /**
   * The service's schema. The benchmark's baselines keep theirs apart (db/baseline), so a database
   * the product runs on never gets their tables.
   */
  private static final String MIGRATIONS = "classpath:db/migration";

  private static final String EMBEDDED_USER = "postgres";
  private static final String EMBEDDED_DATABASE = "leadcredits";
  private static final String POSTGRES_SUBDIR = "postgres";
  private static final String LOCK_FILE = "postgres.lock";

  /** Zonky writes this file only after initdb succeeded: its absence marks an unfinished initdb. */
  private static final String INITDB_DONE_MARKER = "epg-lock";

  /** Start-up after a crash replays PostgreSQL's WAL; give it longer than zonky's default 10s. */
  private static final Duration EMBEDDED_STARTUP_WAIT_MAX = Duration.ofSeconds(60);

  private static final Duration ORPHAN_STOP_WAIT_MAX = Duration.ofSeconds(30);

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final HikariDataSource dataSource;
  private final EmbeddedPostgres embedded; // null for an external server
  private final FileLock dataDirLock; // null for an external server

  private Database(
      String jdbcUrl,
      String user,
      String password,
      HikariDataSource dataSource,
      EmbeddedPostgres embedded,
      FileLock dataDirLock) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.dataSource = dataSource;
    this.embedded = embedded;
    this.dataDirLock = dataDirLock;
  }

  /** Connects (starting the embedded server if needed) and migrates the schema. */
  public static Database start(Settings settings) {
    if (settings.externalDbUrl().isPresent()) {
      return connect(
          settings.externalDbUrl().get(),
          nullToEmpty(settings.dbUser()),
          nullToEmpty(settings.dbPassword()),
          null,
          null);
    }
    return embedded(settings.dataDir(), 0);
  }

  /**
   * An embedded PostgreSQL set up as the service runs it; the benchmark's and the tests' servers
   * start from here too, so every one of them commits the same way.
   */
  public static EmbeddedPostgres.Builder embeddedServer() {
    return EmbeddedPostgres.builder()
        // The embedded server's defaults trade durability for test speed (fsync off, commits
        // acknowledged before they are flushed). A 2xx here must survive a power cut, so both are
        // turned back on; the fsync setting comes after zonky's -F flag and wins.
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        // A new WAL segment is created sparse instead of written full of zeros first. Until a
        // checkpoint leaves old segments to recycle, the commit that crosses into a new segment
        // waits for 16 MB of zeros: about 45 ms, once a second under a hot account. Durability is
        // unchanged, every commit is still flushed with fdatasync.
        .setServerConfig("wal_init_zero", "off");
  }

  /**
   * The embedded PostgreSQL alone, on {@code port} (0: any free port), migrated: what {@code
   * leadcredits db} runs so that several nodes can share one journal.
   */
  public static Database embedded(Path dir, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + port);
    }
    Path dataDir = dir.toAbsolutePath().normalize();
    FileLock lock = lockDataDir(dataDir);
    EmbeddedPostgres server = null;
    try {
      Path pgDir = dataDir.resolve(POSTGRES_SUBDIR);
      EmbeddedServers.stopOrphan(pgDir, ORPHAN_STOP_WAIT_MAX);
      EmbeddedServers.discardUnfinishedInitdb(pgDir, INITDB_DONE_MARKER);
      server =
          embeddedServer()
              .setDataDirectory(pgDir)
              .setCleanDataDirectory(false)
              .setPGStartupWait(EMBEDDED_STARTUP_WAIT_MAX)
              .setPort(port)
              .start();
      createDatabaseIfMissing(server);
      return connect(
          server.getJdbcUrl(EMBEDDED_USER, EMBEDDED_DATABASE), EMBEDDED_USER, "", server, lock);
    } catch (IOException | SQLException | RuntimeException e) {
      closeQuietly(server);
      releaseQuietly(lock);
      throw new IllegalStateException(
          "cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static Database connect(
      String url, String user, String password, EmbeddedPostgres server, FileLock lock) {
    HikariDataSource pool = pool(url, user, password);
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations(MIGRATIONS)
          // V3, V5 and V6 (the baselines' schema, which moved to db/baseline) stay in the history
          // of the databases that ran them; they are no longer here, and that is no error.
          .ignoreMigrationPatterns("*:missing")
          .load()
          .migrate();
      return new Database(url, user, password, pool, server, lock);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static HikariDataSource pool(String url, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("leadcredits-sql");
    config.setJdbcUrl(url);
    if (!user.isEmpty()) {
      config.setUsername(user);
    }
    if (!password.isEmpty()) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(POOL_SIZE);
    // A query that cannot get a connection within 5s fails; callers are bounded by ask-timeout.
    config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
    return new HikariDataSource(config);
  }

  /** One process per data directory: two servers on one PostgreSQL data dir would corrupt it. */
  private static FileLock lockDataDir(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      FileChannel channel =
          FileChannel.open(
              dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        channel.close();
        throw new IllegalStateException(
            "data directory " + dataDir + " is in use by another leadcredits process");
      }
      return lock;
    } catch (IOException e) {
      throw new IllegalStateException("cannot lock data directory " + dataDir + ": " + e, e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this very JVM
    }
  }

  private static void createDatabaseIfMissing(EmbeddedPostgres server) throws SQLException {
    try (Connection c = server.getPostgresDatabase().getConnection();
        PreparedStatement exists =
            c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, EMBEDDED_DATABASE);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement create = c.createStatement()) {
        create.execute("CREATE DATABASE " + EMBEDDED_DATABASE);
      }
    }
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** A small pool for the service's own SQL; the persistence plugin keeps its own. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Fills the persistence plugin's shared database (persistence.conf) with this connection. */
  public Config pekkoOverrides() {
    return ConfigFactory.parseMap(
        Map.of(
            "pekko-persistence-jdbc.shared-databases.slick.db.url", jdbcUrl,
            "pekko-persistence-jdbc.shared-databases.slick.db.user", user,
            "pekko-persistence-jdbc.shared-databases.slick.db.password", password),
        "leadcredits database");
  }

  /** Closes the pool, then stops the embedded server and releases the data directory. */
  @Override
  public void close() {
    dataSource.close();
    closeQuietly(embedded);
    releaseQuietly(dataDirLock);
  }

  private static void closeQuietly(EmbeddedPostgres server) {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (IOException e) {
      // Nothing more to do while shutting down; the next start stops an orphaned server.
    }
  }

  private static void releaseQuietly(FileLock lock) {
    if (lock == null) {
      return;
    }
    try {
      lock.channel().close(); // closing the channel releases the lock
    } catch (IOException e) {
      // The OS releases the lock when the process exits anyway.
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
