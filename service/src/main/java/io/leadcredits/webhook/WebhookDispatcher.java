package io.leadcredits.webhook;

import io.leadcredits.feed.EventFeed;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedPage;
import io.leadcredits.feed.TypeFilter;
import io.leadcredits.sink.SinkMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the event feed into deliveries: reads the feed from the sink's stored cursor, long-polling
 * so a new event is read within the feed's poll interval, and writes each page's deliveries with
 * the moved cursor in one transaction ({@link WebhookStore#dispatch}). A crash between reading and
 * committing leaves the cursor where it was, so the page is read again; a crash after committing
 * leaves the deliveries and the cursor together. On a cluster every node runs one; the lock on the
 * cursor's row lets one of them hand a page on and sends the others back to the stored cursor.
 */
final class WebhookDispatcher {
  /** The sink's name in {@code event_sink_offsets}. */
  static final String SINK = "webhooks";

  /** Events handed on in one transaction, at most. */
  private static final int PAGE_SIZE = 500;

  /**
   * How long one read of the feed waits for an event before the loop goes round again. The feed
   * answers as soon as an event is there, so this only bounds how long stopping waits for the read.
   */
  private static final Duration WAIT = Duration.ofSeconds(1);

  /** The pause before trying again after the database failed. */
  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  private final EventFeed feed;
  private final WebhookStore store;
  private final SinkMetrics metrics;
  private final Executor blocking;
  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final Runnable dispatched;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile boolean running = true;

  /** {@code dispatched} is told when deliveries were made, so they go out at once. */
  WebhookDispatcher(
      EventFeed feed,
      WebhookStore store,
      SinkMetrics metrics,
      Executor blocking,
      ScheduledExecutorService timer,
      Clock clock,
      Runnable dispatched) {
    this.feed = feed;
    this.store = store;
    this.metrics = metrics;
    this.blocking = blocking;
    this.timer = timer;
    this.clock = clock;
    this.dispatched = dispatched;
  }

  void start() {
    metrics.published(SINK, 0);
    metrics.sinkLag(SINK, Duration.ZERO);
    resume();
  }

  /** Stops after the page under way; the stage completes when it has. */
  CompletionStage<Void> stop() {
    running = false;
    return stopped;
  }

  /** From the stored cursor: at start, and whenever what this node knew of it may be stale. */
  private void resume() {
    if (!running) {
      stopped.complete(null);
      return;
    }
    CompletableFuture.supplyAsync(this::storedCursor, blocking)
        .whenComplete(
            (cursor, failure) -> {
              if (failure != null) {
                retryLater(failure);
              } else {
                next(cursor);
              }
            });
  }

  private void next(FeedCursor cursor) {
    if (!running) {
      stopped.complete(null);
      return;
    }
    CompletableFuture.supplyAsync(this::anyEnabled, blocking)
        .thenCompose(any -> any ? read(cursor) : skipToHead(cursor))
        .whenComplete(
            (step, failure) -> {
              if (failure != null) {
                retryLater(failure);
              } else if (step == null) {
                resume(); // another node handed this page on first
              } else if (step.pause()) {
                later(() -> next(step.cursor()), WAIT);
              } else {
                next(step.cursor());
              }
            });
  }

  /** Where the loop goes on from, and whether it waits first (nothing to do for now). */
  private record Step(FeedCursor cursor, boolean pause) {}

  private CompletionStage<Step> read(FeedCursor cursor) {
    return feed.read(cursor, PAGE_SIZE, TypeFilter.ALL, WAIT)
        .thenApplyAsync(
            page -> {
              FeedCursor after = handOn(cursor, page);
              return after == null ? null : new Step(after, false);
            },
            blocking);
  }

  /**
   * With no endpoint enabled there is nobody to deliver to: the cursor moves to the feed's head
   * without reading an event, so an idle sink costs a query a second, not a second read of every
   * change the service makes; an endpoint gets the events from about when it was enabled.
   */
  private CompletionStage<Step> skipToHead(FeedCursor cursor) {
    return feed.head()
        .thenApplyAsync(
            head -> {
              // Asked again after the head was read: an endpoint enabled since may want events the
              // head already counts; one enabled after this answer was enabled after them.
              if (anyEnabled()) {
                return new Step(cursor, false);
              }
              metrics.sinkLag(SINK, Duration.ZERO);
              if (head.compareTo(cursor) <= 0) {
                return new Step(cursor, true);
              }
              int made;
              try {
                made = store.dispatch(SINK, cursor, List.of(), head, clock.instant());
              } catch (java.sql.SQLException e) {
                throw new IllegalStateException(
                    "moving the webhook cursor failed: " + e.getMessage(), e);
              }
              return made < 0 ? null : new Step(head, true);
            },
            blocking);
  }

  private boolean anyEnabled() {
    try {
      return store.anyEnabled();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("reading the webhook endpoints failed: " + e.getMessage(), e);
    }
  }

  private void later(Runnable action, Duration delay) {
    try {
      timer.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      stopped.complete(null); // closing
    }
  }

  /** Hands the page on; the cursor to read from next, or null when another node was first. */
  private FeedCursor handOn(FeedCursor from, FeedPage page) {
    if (page.items().isEmpty()) {
      metrics.sinkLag(SINK, Duration.ZERO);
      if (page.next().equals(from)) {
        return from;
      }
    } else {
      Duration lag = Duration.between(page.items().get(0).timestamp(), clock.instant());
      metrics.sinkLag(SINK, lag.isNegative() ? Duration.ZERO : lag);
    }
    int made;
    try {
      made = store.dispatch(SINK, from, page.items(), page.next(), clock.instant());
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("dispatching webhooks failed: " + e.getMessage(), e);
    }
    if (made < 0) {
      return null;
    }
    metrics.published(SINK, page.items().size());
    // A full page may have more behind it: its last event is the best guess at the next one's age.
    Duration behind =
        page.items().size() < PAGE_SIZE
            ? Duration.ZERO
            : Duration.between(
                page.items().get(page.items().size() - 1).timestamp(), clock.instant());
    metrics.sinkLag(SINK, behind.isNegative() ? Duration.ZERO : behind);
    if (made > 0) {
      dispatched.run();
    }
    return page.next();
  }

  private FeedCursor storedCursor() {
    try {
      return store.cursor(SINK);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("reading the webhook cursor failed: " + e.getMessage(), e);
    }
  }

  private void retryLater(Throwable failure) {
    if (!running) {
      stopped.complete(null);
      return;
    }
    log.warn("webhook dispatcher: {}; trying again in {}", failure.toString(), RETRY_DELAY);
    timer.schedule(this::resume, RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
  }
}
