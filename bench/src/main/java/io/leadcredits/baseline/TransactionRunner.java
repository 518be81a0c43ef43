package io.leadcredits.baseline;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The baselines' access to PostgreSQL: a HikariCP pool and a bounded thread pool of the same size,
 * because JDBC blocks and must never run on Pekko's dispatcher. Every call either runs or fails its
 * stage (the HTTP layer answers 503): a full queue fails at once, a call that waited longer than
 * the ask timeout fails without touching the database, and a connection that cannot be had within
 * the ask timeout fails too. Transactions that lose a deadlock or a serialization conflict are
 * retried a bounded number of times, as any production code on row locks must.
 */
final class TransactionRunner implements AutoCloseable {

  /** Work on one connection; it may throw, the runner rolls back. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** deadlock_detected and serialization_failure: the transaction did nothing and may rerun. */
  private static final Set<String> RETRYABLE_STATES = Set.of("40P01", "40001");

  /** A deadlock is rare and a rerun almost always wins; beyond this something is wrong. */
  static final int ATTEMPTS_MAX = 5;

  /** Requests waiting for a thread; beyond this the database is not keeping up. */
  static final int QUEUE_LENGTH_MAX = 4_096;

  private static final long RETRY_BACKOFF_MILLIS_MAX = 20;

  private final HikariDataSource pool;
  private final ThreadPoolExecutor executor;
  private final long queueWaitNanosMax;

  TransactionRunner(String jdbcUrl, String user, String password, int size, Duration timeout) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("leadcredits-baseline");
    config.setJdbcUrl(jdbcUrl);
    if (user != null && !user.isEmpty()) {
      config.setUsername(user);
    }
    if (password != null && !password.isEmpty()) {
      config.setPassword(password);
    }
    // A fixed-size pool, as HikariCP advises: one connection per worker thread, none to spare.
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setConnectionTimeout(Math.max(250, timeout.toMillis()));
    this.pool = new HikariDataSource(config);
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            size,
            size,
            0L,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE_LENGTH_MAX),
            runnable -> {
              Thread t = new Thread(runnable, "baseline-jdbc-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.queueWaitNanosMax = timeout.toNanos();
  }

  /** One transaction, committed when {@code work} returns; rerun on deadlock or serialization. */
  <T> CompletionStage<T> inTransaction(Work<T> work) {
    return submit(c -> retrying(c, work));
  }

  /** One statement in autocommit mode: the SQL engine's single round trip is its transaction. */
  <T> CompletionStage<T> autoCommit(Work<T> work) {
    return submit(c -> retryingAutoCommit(c, work));
  }

  /** Runs on a pool thread; a full queue fails the stage with RejectedExecutionException (503). */
  private <T> CompletionStage<T> submit(Work<T> work) {
    try {
      return CompletableFuture.supplyAsync(timed(work, System.nanoTime()), executor);
    } catch (RejectedExecutionException full) {
      return CompletableFuture.failedFuture(full);
    }
  }

  /** A call that waited past the timeout fails untried: its caller has given up or soon will. */
  private <T> Supplier<T> timed(Work<T> work, long queuedAt) {
    return () -> {
      if (System.nanoTime() - queuedAt > queueWaitNanosMax) {
        throw new CompletionException(
            new TimeoutException("waited too long for a database thread"));
      }
      try (Connection c = pool.getConnection()) {
        return work.run(c);
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    };
  }

  private static <T> T retrying(Connection c, Work<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException e) {
          c.rollback();
          if (!retryable(e) || attempt >= ATTEMPTS_MAX) {
            throw e;
          }
          backOff();
        } catch (RuntimeException e) {
          c.rollback();
          throw e;
        }
      }
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static <T> T retryingAutoCommit(Connection c, Work<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run(c);
      } catch (SQLException e) {
        if (!retryable(e) || attempt >= ATTEMPTS_MAX) {
          throw e;
        }
        backOff();
      }
    }
  }

  static boolean retryable(SQLException e) {
    return e.getSQLState() != null && RETRYABLE_STATES.contains(e.getSQLState());
  }

  /** A short random pause, so the two losers of a deadlock do not collide again in step. */
  private static void backOff() {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, RETRY_BACKOFF_MILLIS_MAX));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    pool.close();
  }
}
