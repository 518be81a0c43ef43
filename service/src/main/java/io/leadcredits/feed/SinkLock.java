package io.leadcredits.feed;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * The right to run one sink of the event feed, held by one node of a cluster at a time: a
 * PostgreSQL session-level advisory lock on a connection of the sink's own. The sink stores its
 * cursor through that same connection, so a node whose session has ended, and whose lock another
 * node may hold by now, can no longer move the sink's cursor; at worst it has published a page the
 * next holder publishes again.
 *
 * <p>The lock is keyed by (a class of its own, the sink's name hashed by PostgreSQL): the
 * two-number form of advisory locks, which cannot collide with the writer lock's single number.
 */
public final class SinkLock implements AutoCloseable {
  /** "lcsk" in ASCII: the class of every sink's lock. */
  public static final int LOCK_CLASS = 0x6c63736b;

  private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(?, hashtext(?))";
  private static final String UNLOCK = "SELECT pg_advisory_unlock(?, hashtext(?))";
  private static final int validTimeoutSeconds = 2;

  private final Connection connection;
  private final String sink;

  private SinkLock(Connection connection, String sink) {
    this.connection = connection;
    this.sink = sink;
  }

  /** The lock of {@code sink} if no other node holds it; empty if one does. */
  public static Optional<SinkLock> tryAcquire(String url, String user, String password, String sink)
      throws SQLException {
    Properties credentials = new Properties();
    if (!user.isEmpty()) {
      credentials.setProperty("user", user);
    }
    if (!password.isEmpty()) {
      credentials.setProperty("password", password);
    }
    Connection c = DriverManager.getConnection(url, credentials);
    try (PreparedStatement s = c.prepareStatement(TRY_LOCK)) {
      s.setInt(1, LOCK_CLASS);
      s.setString(2, sink);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        if (rs.getBoolean(1)) {
          return Optional.of(new SinkLock(c, sink));
        }
      }
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
    closeQuietly(c);
    return Optional.empty();
  }

  /** Stores the sink's cursor; fails once the lock's session has ended. */
  public void save(FeedCursor cursor) throws SQLException {
    JdbcSinkOffsets.save(connection, sink, cursor);
  }

  /** Work done in one transaction on the lock's connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on the lock's own connection: a sink that writes what it
   * made of the events stores them with its cursor, and a node whose session ended can do neither.
   */
  public <T> T inTransaction(Work<T> work) throws SQLException {
    connection.setAutoCommit(false);
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback); // a broken connection: nothing of the work was committed
      }
      throw e;
    } finally {
      try {
        connection.setAutoCommit(true);
      } catch (SQLException e) {
        // A broken connection: the next use of the lock fails and the sink starts again.
      }
    }
  }

  /** Whether the lock's session is still there, and the lock with it. */
  public boolean held() {
    try {
      return connection.isValid(validTimeoutSeconds);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Releases the lock at once, so another node can take the sink over without waiting. */
  @Override
  public void close() {
    try (PreparedStatement s = connection.prepareStatement(UNLOCK)) {
      s.setInt(1, LOCK_CLASS);
      s.setString(2, sink);
      s.execute();
    } catch (SQLException e) {
      // A broken connection: its session, and the lock, are gone already.
    }
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // A broken connection: its session, and the lock, are gone already.
    }
  }
}
