package io.leadcredits.feed;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that runs one sink of the event feed, on the one node of a cluster that holds the
 * sink's {@link SinkLock}: it tries for the lock (again every few seconds while another node holds
 * it), and with it held runs page after page from the sink's stored cursor until closed or
 * something fails. A failure (the database gone, the sink's own target unreachable) drops the run
 * and the lock, waits with exponential backoff, and starts again from the stored cursor; so what
 * the sink does with a page must be safe to do again for a page whose cursor was not stored.
 */
public final class SinkWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SinkWorker.class);

  /** How long one read of the feed waits for a next event; also how soon a close is noticed. */
  private static final Duration feedWait = Duration.ofSeconds(1);

  /** On top of the feed's wait: a read that takes longer than this is treated as failed. */
  private static final Duration feedReadTimeoutMax = Duration.ofSeconds(30);

  /** How often a node without the lock tries for it again. */
  private static final Duration lockRetryInterval = Duration.ofSeconds(5);

  private static final Duration backoffMin = Duration.ofMillis(500);
  private static final Duration backoffMax = Duration.ofSeconds(30);

  /**
   * What closing waits for the page under way, beyond a read of the feed: with the sinks' own
   * waits, well inside the 10 s Pekko gives the shutdown phase that closes them.
   */
  private static final Duration closeWaitMax = Duration.ofSeconds(3);

  /** Takes the sink's lock, or answers empty when another node holds it. */
  @FunctionalInterface
  public interface Locks {
    Optional<SinkLock> tryAcquire() throws SQLException;
  }

  /** What a sink does once it holds its lock. */
  @FunctionalInterface
  public interface Sink {
    /** Starts a run from the stored cursor {@code from}, opening what the run writes through. */
    Run open(SinkLock lock, FeedCursor from) throws Exception;
  }

  /** One run of a sink, from taking its lock until it is closed or fails. */
  @FunctionalInterface
  public interface Run {
    /** Handles the page after {@code after}; answers the cursor to read the next page from. */
    FeedCursor page(FeedCursor after) throws Exception;

    /**
     * Called by the thread that closes the sink while the run may be inside a page: cuts short what
     * would keep the page waiting longer than a read of the feed does.
     */
    default void closing() {}

    /** The run is over: closed ({@code failed} false) or after a failure. */
    default void end(boolean failed) {}
  }

  private final String sink;
  private final String what;
  private final JdbcSinkOffsets offsets;
  private final Locks locks;
  private final Sink runs;
  private final Thread thread;
  private final Object pause = new Object();
  private volatile boolean closed;
  private volatile Run current;

  /**
   * A worker for the sink named {@code sink} (its cursor's row in event_sink_offsets), not yet
   * started; {@code what} names the sink in the log, {@code threadName} its thread.
   */
  public SinkWorker(
      String sink,
      String what,
      String threadName,
      JdbcSinkOffsets offsets,
      Locks locks,
      Sink runs) {
    this.sink = sink;
    this.what = what;
    this.offsets = offsets;
    this.locks = locks;
    this.runs = runs;
    this.thread = new Thread(this::work, threadName);
    thread.setDaemon(true);
  }

  /** Starts running the sink in the worker's thread. */
  public void start() {
    thread.start();
  }

  /**
   * Reads the page after {@code after}: waits a moment for a next event, so an idle sink notices a
   * close soon; a read that hangs fails the run.
   */
  public static FeedPage read(EventFeed feed, FeedCursor after, int eventsMax, TypeFilter types)
      throws Exception {
    return feed.read(after, eventsMax, types, feedWait)
        .toCompletableFuture()
        .get(feedWait.plus(feedReadTimeoutMax).toMillis(), TimeUnit.MILLISECONDS);
  }

  private void work() {
    Duration backoff = backoffMin;
    while (!closed) {
      Optional<SinkLock> acquired;
      try {
        acquired = locks.tryAcquire();
      } catch (SQLException | RuntimeException e) {
        log.warn("{} cannot reach the database for its lock: {}", what, e.getMessage());
        pause(backoff);
        backoff = longer(backoff);
        continue;
      }
      if (acquired.isEmpty()) {
        pause(lockRetryInterval); // another node runs the sink
        continue;
      }
      try (SinkLock lock = acquired.get()) {
        pages(lock);
      } catch (Exception e) {
        if (closed) {
          return;
        }
        log.warn(
            "{} stopped ({}); it starts again from its stored cursor in {}",
            what,
            e.toString(),
            backoff);
        pause(backoff);
        backoff = longer(backoff);
        continue;
      }
      backoff = backoffMin;
    }
  }

  /** Runs page after page from the stored cursor until closed or something fails. */
  private void pages(SinkLock lock) throws Exception {
    FeedCursor cursor = offsets.load(sink);
    Run run = runs.open(lock, cursor);
    current = run;
    boolean failed = true;
    try {
      while (!closed) {
        cursor = run.page(cursor);
      }
      failed = false;
    } finally {
      current = null;
      run.end(failed);
    }
  }

  private void pause(Duration d) {
    synchronized (pause) {
      long end = System.nanoTime() + d.toNanos();
      long left = d.toMillis();
      while (!closed && left > 0) {
        try {
          pause.wait(left); // woken early by close
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
      }
    }
  }

  private static Duration longer(Duration backoff) {
    Duration twice = backoff.multipliedBy(2);
    return twice.compareTo(backoffMax) > 0 ? backoffMax : twice;
  }

  /** Stops after the page under way; a page whose cursor was not stored is read again next time. */
  @Override
  public void close() {
    closed = true;
    synchronized (pause) {
      pause.notifyAll();
    }
    Run run = current;
    if (run != null) {
      run.closing();
    }
    try {
      thread.join(closeWaitMax.plus(feedWait).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
