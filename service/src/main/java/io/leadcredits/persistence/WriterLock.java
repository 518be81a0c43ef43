package io.leadcredits.persistence;

import io.leadcredits.cluster.SeedJoin;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One journal database, one set of writers. A node that is a cluster of its own (no seed nodes)
 * holds a PostgreSQL session-level advisory lock exclusively for as long as it runs; nodes of a
 * configured cluster hold it shared, since Cluster Sharding already keeps one live instance of each
 * entity among them. So a second standalone node started by mistake on the same database, or a
 * standalone node next to a cluster, cannot take the lock and refuses to start.
 *
 * <p>The lock lives on a connection of its own. If that connection breaks (the database restarted),
 * a watchdog takes the lock again; if another node took it meanwhile, this node is told to stop.
 * Behind the lock, the journal's primary key (persistence_id, sequence_number) refuses an event at
 * a sequence number already taken: a writer that got past the lock would fail its write and recover
 * from the journal, never corrupt it.
 *
 * <p>On the same connection, a node that is an Up member of a cluster holds the <em>member
 * lock</em> (shared, two-number form, so it cannot collide with the writer lock's single number):
 * the database is the one witness every node shares, and a lock that dies with its session says
 * whether live members of a cluster exist, which a starting first seed node asks before it may form
 * a new cluster ({@link #othersAreMembers()}).
 */
public final class WriterLock implements AutoCloseable, SeedJoin.Witness {
  private static final Logger log = LoggerFactory.getLogger(WriterLock.class);

  /**
   * The advisory lock's key: "leadcred" in ASCII, so it does not collide with others' by chance.
   */
  static final long LOCK_KEY = 0x6c65616463726564L;

  /** "lcmb" in ASCII: the class of the member lock, next to the writer and sink locks. */
  static final int MEMBER_LOCK_CLASS = 0x6c636d62;

  static final int MEMBER_LOCK_ID = 1;

  /**
   * Granted member locks of other sessions on this database. A backend frozen with its process, or
   * whose client vanished without closing the connection, still counts until PostgreSQL ends it.
   */
  private static final String OTHER_MEMBERS =
      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
          + " AND classid = ?::oid AND objid = ?::oid AND objsubid = 2"
          + " AND pid <> pg_backend_pid()"
          + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

  /** How often the watchdog checks the lock's connection. */
  private static final Duration checkInterval = Duration.ofSeconds(2);

  private static final int validTimeoutSeconds = 2;

  /** How long a starting node waits for a lock held by a node that is going away. */
  private static final Duration lockWaitMax = Duration.ofSeconds(5);

  private static final Duration lockRetryPause = Duration.ofMillis(200);

  private final String url;
  private final Properties credentials;
  private final boolean shared;
  private final AtomicReference<Connection> connection;
  private final Thread watchdog;
  private volatile Runnable onLost = () -> {};
  private volatile boolean closed;
  private volatile boolean member;

  private WriterLock(String url, Properties credentials, boolean shared, Connection held) {
    this.url = url;
    this.credentials = credentials;
    this.shared = shared;
    this.connection = new AtomicReference<>(held);
    this.watchdog = new Thread(this::watch, "leadcredits-writer-lock");
    watchdog.setDaemon(true);
  }

  /**
   * Takes the lock, exclusively for a standalone node, shared for a cluster member; throws with an
   * operator's explanation when another node holds it.
   */
  public static WriterLock acquire(String url, String user, String password, boolean clustered) {
    return acquire(url, user, password, clustered, lockWaitMax);
  }

  static WriterLock acquire(
      String url, String user, String password, boolean clustered, Duration wait) {
    Properties credentials = new Properties();
    if (!user.isEmpty()) {
      credentials.setProperty("user", user);
    }
    if (!password.isEmpty()) {
      credentials.setProperty("password", password);
    }
    Connection held = null;
    try {
      held = DriverManager.getConnection(url, credentials);
      if (!lockWithin(held, clustered, wait)) {
        throw new IllegalStateException(
            clustered
                ? "the journal database is in use by a standalone leadcredits node (no seed"
                    + " nodes); stop it before starting cluster nodes on this database"
                : "the journal database is in use by another leadcredits node; a second node on"
                    + " the same database must join its cluster (seed nodes), not run on its own");
      }
    } catch (SQLException e) {
      closeQuietly(held);
      throw new IllegalStateException("cannot lock the journal database: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(held);
      throw e;
    }
    WriterLock lock = new WriterLock(url, credentials, clustered, held);
    lock.watchdog.start();
    return lock;
  }

  /** What to do when the lock was lost to another node: stop this one. */
  public void onLost(Runnable action) {
    this.onLost = action;
  }

  /**
   * Tries for a while: a node that has just stopped or been killed releases the lock when
   * PostgreSQL notices its session is gone, a moment after the process ended.
   */
  private static boolean lockWithin(Connection c, boolean shared, Duration wait)
      throws SQLException {
    long end = System.nanoTime() + wait.toNanos();
    while (!tryLock(c, shared)) {
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(lockRetryPause.toMillis()); // between attempts; each attempt re-checks
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /**
   * Holds the member lock from now on, for as long as this node runs (and again after the watchdog
   * retakes a broken connection's locks): this node is an Up member of a cluster.
   */
  @Override
  public synchronized void holdMemberLock() throws SQLException {
    member = true;
    takeMemberLock(connection.get());
  }

  /** Whether another session holds the member lock: live members of a cluster exist. */
  @Override
  public synchronized boolean othersAreMembers() throws SQLException {
    try (PreparedStatement s = connection.get().prepareStatement(OTHER_MEMBERS)) {
      s.setLong(1, MEMBER_LOCK_CLASS);
      s.setLong(2, MEMBER_LOCK_ID);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  private static void takeMemberLock(Connection c) throws SQLException {
    // Shared, and nobody ever asks for it exclusively: this never fails or waits.
    try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_lock_shared(?, ?)")) {
      s.setInt(1, MEMBER_LOCK_CLASS);
      s.setInt(2, MEMBER_LOCK_ID);
      s.execute();
    }
  }

  private static boolean tryLock(Connection c, boolean shared) throws SQLException {
    String sql =
        shared ? "SELECT pg_try_advisory_lock_shared(?)" : "SELECT pg_try_advisory_lock(?)";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, LOCK_KEY);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private void watch() {
    while (!closed) {
      try {
        Thread.sleep(checkInterval.toMillis()); // the check's period
      } catch (InterruptedException e) {
        return;
      }
      if (closed || held()) {
        continue;
      }
      retake();
    }
  }

  private synchronized boolean held() {
    try {
      return connection.get().isValid(validTimeoutSeconds);
    } catch (SQLException e) {
      return false;
    }
  }

  /** The connection broke, and the lock with it: take it again, or stop if another node has it. */
  private synchronized void retake() {
    closeQuietly(connection.get());
    try {
      Connection fresh = DriverManager.getConnection(url, credentials);
      if (tryLock(fresh, shared)) {
        if (member) {
          takeMemberLock(fresh);
        }
        connection.set(fresh);
        log.warn("the journal database's writer lock was lost with its connection and taken again");
        return;
      }
      closeQuietly(fresh);
      closed = true;
      log.error("another leadcredits node took the journal database's writer lock; stopping");
      onLost.run();
    } catch (SQLException e) {
      // The database is still unreachable: so is the journal, for every node. Try again later.
    }
  }

  @Override
  public void close() {
    closed = true;
    watchdog.interrupt();
    Connection c = connection.get();
    // Released at once, not when PostgreSQL notices the session ended: a restart may follow.
    try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock_all()")) {
      unlock.execute();
    } catch (SQLException e) {
      // A broken connection: its session, and the lock, are gone already.
    }
    closeQuietly(c);
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      // A broken connection: its session, and the lock, are gone already.
    }
  }
}
