package io.leadcredits.persistence;

import io.leadcredits.feed.EventFeed;
import io.leadcredits.feed.EventTypes;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedPage;
import io.leadcredits.feed.JdbcSinkOffsets;
import io.leadcredits.feed.SinkLock;
import io.leadcredits.feed.SinkWorker;
import io.leadcredits.feed.TypeFilter;
import io.leadcredits.sink.SinkMetrics;
import java.time.Duration;
import java.util.List;
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
 * <p>One node of a cluster runs it, as the Kafka sink: the one holding its {@link SinkLock} (a
 * {@link SinkWorker} runs it); the transaction runs on the lock's own connection, so a node whose
 * session ended cannot write, and it checks the stored cursor is still the one it read from.
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

  private final EventFeed feed;
  private final JdbcSinkOffsets offsets;
  private final SinkMetrics meters;
  private final SinkWorker worker;

  private CreditReportProjection(
      EventFeed feed, JdbcSinkOffsets offsets, SinkWorker.Locks locks, SinkMetrics meters) {
    this.feed = feed;
    this.offsets = offsets;
    this.meters = meters;
    this.worker =
        new SinkWorker(
            JdbcCreditReports.SINK,
            "the credit report",
            "leadcredits-credit-report",
            offsets,
            locks,
            this::open);
  }

  /** Starts keeping the report in a thread of its own. */
  public static CreditReportProjection start(
      EventFeed feed, JdbcSinkOffsets offsets, SinkWorker.Locks locks, SinkMetrics meters) {
    CreditReportProjection p = new CreditReportProjection(feed, offsets, locks, meters);
    p.worker.start();
    return p;
  }

  private SinkWorker.Run open(SinkLock lock, FeedCursor from) {
    log.info("keeping the credit report from {}", from);
    return after -> project(lock, after);
  }

  /** Applies the page after {@code from}; answers the cursor to go on from. */
  private FeedCursor project(SinkLock lock, FeedCursor from) throws Exception {
    FeedPage page = SinkWorker.read(feed, from, pageEventsMax, TYPES);
    if (page.items().isEmpty() && page.next().equals(from)) {
      meters.sinkLag(JdbcCreditReports.SINK, Duration.ZERO);
      return from;
    }
    if (!page.items().isEmpty()) {
      Duration lag = Duration.between(page.items().get(0).timestamp(), java.time.Instant.now());
      meters.sinkLag(JdbcCreditReports.SINK, lag.isNegative() ? Duration.ZERO : lag);
    }
    boolean applied = lock.inTransaction(c -> JdbcCreditReports.apply(c, from, page));
    if (!applied) {
      // Only another run could have moved it; this one holds the lock, so read it again.
      return offsets.load(JdbcCreditReports.SINK);
    }
    meters.published(JdbcCreditReports.SINK, page.items().size());
    if (page.items().size() < pageEventsMax) {
      meters.sinkLag(JdbcCreditReports.SINK, Duration.ZERO);
    }
    return page.next();
  }

  /** Stops after the page under way; a page not committed by then is read again next time. */
  @Override
  public void close() {
    worker.close();
  }
}
