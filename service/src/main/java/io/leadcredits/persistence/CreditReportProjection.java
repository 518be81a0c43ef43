package io.leadcredits.persistence;

import io.leadcredits.feed.EventFeed;
import io.leadcredits.feed.EventTypes;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedPage;
import io.leadcredits.feed.TypeFilter;
import io.leadcredits.sink.SinkMetrics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the liability report's tables from the event feed, exactly once: it reads a page of the
 * feed's grant-changing account events from its stored cursor (the feed every sink reads, in its
 * order no late commit can fall behind) and writes what the page changes together with the cursor
 * after it in one transaction ({@link JdbcCreditReports#apply}), as a Pekko Projection with an
 * exactly-once JDBC handler does. A crash before the commit reads the page again; after it, the
 * rows and the cursor are both there; neither loses nor counts an event twice.
 *
 * <p>One node of a cluster runs it, as the Kafka sink: the one holding its {@link SinkLock}; the
 * transaction runs on the lock's own connection, so a node whose session ended cannot write, and it
 * checks the stored cursor is still the one it read from.
 */
public final class CreditReportProjection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CreditReportProjection.class);

  /** The events that change a grant; holds only earmark, so their credits stay owed. */
  static final TypeFilter TYPES =
      new TypeFilter(
          List.of(
              EventTypes.CREDITED,
              EventTypes.DEBITED,
              EventTypes.CAPTURED,
              EventTypes.GRANT_EXPIRED,
              EventTypes.GRANT_VOIDED));

  /** Events per transaction: a few statements each, whatever the size, so a busy feed keeps up. */
  private static final int pageEventsMax = 500;

  /** How long one read of the feed waits for a next event; also how soon a close is noticed. */
  private static final Duration feedWait = Duration.ofSeconds(1);

  /** On top of the feed's wait: a read that takes longer than this is treated as failed. */
  private static final Duration feedReadTimeoutMax = Duration.ofSeconds(30);

  /** How often a node without the lock tries for it again. */
  private static final Duration lockRetryInterval = Duration.ofSeconds(5);

  private static final Duration backoffMin = Duration.ofMillis(500);
  private static final Duration backoffMax = Duration.ofSeconds(30);

  /** What closing waits for the page under way: within the shutdown's time for the stores. */
  private static final Duration closeWaitMax = Duration.ofSeconds(3);

  /** Takes the projection's lock, or answers empty when another node holds it. */
  @FunctionalInterface
  public interface Locks {
    Optional<SinkLock> tryAcquire() throws SQLException;
  }

  private final EventFeed feed;
  private final JdbcSinkOffsets offsets;
  private final Locks locks;
  private final SinkMetrics meters;
  private final Thread worker;
  private final Object pause = new Object();
  private volatile boolean closed;

  private CreditReportProjection(
      EventFeed feed, JdbcSinkOffsets offsets, Locks locks, SinkMetrics meters) {
    this.feed = feed;
    this.offsets = offsets;
    this.locks = locks;
    this.meters = meters;
    this.worker = new Thread(this::run, "leadcredits-credit-report");
    worker.setDaemon(true);
  }

  /** Starts keeping the report in a thread of its own. */
  public static CreditReportProjection start(
      EventFeed feed, JdbcSinkOffsets offsets, Locks locks, SinkMetrics meters) {
    CreditReportProjection p = new CreditReportProjection(feed, offsets, locks, meters);
    p.worker.start();
    return p;
  }

  private void run() {
    Duration backoff = backoffMin;
    while (!closed) {
      Optional<SinkLock> acquired;
      try {
        acquired = locks.tryAcquire();
      } catch (SQLException | RuntimeException e) {
        log.warn("the credit report cannot reach the database for its lock: {}", e.getMessage());
        pause(backoff);
        backoff = longer(backoff);
        continue;
      }
      if (acquired.isEmpty()) {
        pause(lockRetryInterval); // another node keeps the report
        continue;
      }
      try (SinkLock lock = acquired.get()) {
        project(lock);
      } catch (Exception e) {
        if (closed) {
          return;
        }
        log.warn(
            "the credit report stopped ({}); it starts again from its stored cursor in {}",
            e.toString(),
            backoff);
        pause(backoff);
        backoff = longer(backoff);
        continue;
      }
      backoff = backoffMin;
    }
  }

  /** Applies page after page from the stored cursor until closed or something fails. */
  private void project(SinkLock lock) throws Exception {
    FeedCursor cursor = offsets.load(JdbcCreditReports.SINK);
    log.info("keeping the credit report from {}", cursor);
    while (!closed) {
      FeedCursor from = cursor;
      FeedPage page =
          feed.read(from, pageEventsMax, TYPES, feedWait)
              .toCompletableFuture()
              .get(feedWait.plus(feedReadTimeoutMax).toMillis(), TimeUnit.MILLISECONDS);
      if (page.items().isEmpty() && page.next().equals(from)) {
        meters.sinkLag(JdbcCreditReports.SINK, Duration.ZERO);
        continue;
      }
      if (!page.items().isEmpty()) {
        Duration lag = Duration.between(page.items().get(0).timestamp(), java.time.Instant.now());
        meters.sinkLag(JdbcCreditReports.SINK, lag.isNegative() ? Duration.ZERO : lag);
      }
      boolean applied = lock.inTransaction(c -> JdbcCreditReports.apply(c, from, page));
      if (!applied) {
        // Only another run could have moved it; this one holds the lock, so read it again.
        cursor = offsets.load(JdbcCreditReports.SINK);
        continue;
      }
      meters.published(JdbcCreditReports.SINK, page.items().size());
      if (page.items().size() < pageEventsMax) {
        meters.sinkLag(JdbcCreditReports.SINK, Duration.ZERO);
      }
      cursor = page.next();
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

  /** Stops after the page under way; a page not committed by then is read again next time. */
  @Override
  public void close() {
    closed = true;
    synchronized (pause) {
      pause.notifyAll();
    }
    try {
      worker.join(closeWaitMax.plus(feedWait).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
