package io.leadcredits.webhook;

import io.leadcredits.Limits;
import io.leadcredits.WebhookSettings;
import io.leadcredits.feed.EventFeed;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedEvent;
import io.leadcredits.feed.FeedPage;
import io.leadcredits.feed.JdbcSinkOffsets;
import io.leadcredits.feed.SinkLock;
import io.leadcredits.feed.SinkWorker;
import io.leadcredits.feed.TypeFilter;
import io.leadcredits.sink.DeliveryResult;
import io.leadcredits.sink.SinkMetrics;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns the event feed into deliveries, on the one node of a cluster that holds the sink's lock (a
 * {@link SinkWorker} runs it). It reads the feed from the stored cursor and makes the first attempt
 * of each delivery itself, in parts of {@code in-flight-max} events with up to {@code
 * parts-in-flight-max} parts under way; what a part's attempts came to (its rows) is written with
 * the moved cursor in one transaction on the lock's connection, only over the parts completed from
 * the oldest on. A crash sends again at most the parts under way; a crash after a commit leaves the
 * rows and the cursor together.
 */
final class WebhookDispatcher implements AutoCloseable {
  /** The sink's name in {@code event_sink_offsets}, and its lock's. */
  static final String SINK = "webhooks";

  /** Events read from the feed at once, at most. */
  private static final int PAGE_SIZE = 500;

  /** With no endpoint enabled, how often the cursor moves to the feed's head. */
  private static final Duration IDLE_PAUSE = Duration.ofSeconds(1);

  /** A part's attempts are answered within the attempt timeout; beyond this margin, a bug. */
  private static final Duration PART_WAIT_MAX = Limits.webhookAttemptTimeout.plusSeconds(5);

  /** What closing waits for the parts under way, so a stop re-sends little: within Webhooks'. */
  private static final Duration CLOSE_DRAIN_MAX = Duration.ofSeconds(1);

  /** A read of the feed's head taking longer than this fails the run. */
  private static final Duration HEAD_WAIT_MAX = Duration.ofSeconds(30);

  private final EventFeed feed;
  private final WebhookStore store;
  private final WebhookSettings settings;
  private final FirstAttempts attempts;
  private final SinkMetrics metrics;
  private final Clock clock;
  private final Runnable dispatched;
  private final SinkWorker worker;

  /** {@code dispatched} is told when pending deliveries were made, so they go out at once. */
  WebhookDispatcher(
      EventFeed feed,
      WebhookStore store,
      WebhookSettings settings,
      Poster poster,
      SinkMetrics metrics,
      Clock clock,
      Runnable dispatched,
      JdbcSinkOffsets offsets,
      SinkWorker.Locks locks) {
    this.feed = feed;
    this.store = store;
    this.settings = settings;
    this.attempts = new FirstAttempts(settings, poster, clock);
    this.metrics = metrics;
    this.clock = clock;
    this.dispatched = dispatched;
    this.worker =
        new SinkWorker(
            SINK, "the webhook dispatcher", "webhook-dispatcher", offsets, locks, Run::new);
  }

  void start() {
    metrics.published(SINK, 0);
    metrics.sinkLag(SINK, Duration.ZERO);
    worker.start();
  }

  /** Stops after handing on what is answered soon; the rest is sent again by the next holder. */
  @Override
  public void close() {
    worker.close();
  }

  /** One run, from taking the sink's lock until closed or failed. */
  private final class Run implements SinkWorker.Run {
    private final SinkLock lock;
    private final Window window = new Window(settings.partsInFlightMax());

    /**
     * Endpoints whose attempt failed while parts are under way: their pending rows may not be
     * written yet, so the routes do not show the backlog; the parts after leave them alone too.
     */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    private final CompletableFuture<Void> closing = new CompletableFuture<>();

    /** No endpoint was enabled at the last look: the feed is not read, the cursor skips ahead. */
    private boolean idle;

    Run(SinkLock lock, FeedCursor from) throws SQLException {
      this.lock = lock;
      this.idle = !store.anyEnabled();
    }

    @Override
    public FeedCursor page(FeedCursor after) throws Exception {
      handOnDone();
      if (window.isEmpty()) {
        // Every failure is a pending row by now, and the routes show it as a backlog.
        failing.clear();
        if (idle) {
          return skipToHead(after);
        }
        return send(after, SinkWorker.read(feed, after, PAGE_SIZE, TypeFilter.ALL));
      }
      // Parts under way: take what is there now, or else wait for the oldest part, not the feed.
      FeedPage page =
          feed.read(after, PAGE_SIZE, TypeFilter.ALL, Duration.ZERO)
              .toCompletableFuture()
              .get(HEAD_WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
      if (page.items().isEmpty() && page.next().equals(after)) {
        awaitOldest();
        handOnDone();
        return after;
      }
      return send(after, page);
    }

    @Override
    public void closing() {
      closing.complete(null);
    }

    @Override
    public void end(boolean failed) {
      if (failed) {
        return; // what is under way is sent again from the stored cursor
      }
      long until = System.nanoTime() + CLOSE_DRAIN_MAX.toNanos();
      try {
        while (!window.isEmpty() && System.nanoTime() < until) {
          window
              .head()
              .orElseThrow()
              .get(Math.max(1, (until - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
          handOnDone();
        }
      } catch (Exception e) {
        // Closing: what is not handed on is sent again by the next holder of the lock.
      }
    }

    /**
     * Sends the page's events in parts, each as soon as the window has room. The routes are read
     * after the page: an endpoint enabled before it was read gets its events.
     */
    private FeedCursor send(FeedCursor after, FeedPage page) throws Exception {
      if (page.items().isEmpty() && page.next().equals(after)) {
        metrics.sinkLag(SINK, Duration.ZERO);
        return after; // nothing new: nothing to write
      }
      List<Route> routes = store.routes();
      idle = routes.isEmpty();
      List<FeedEvent> items = page.items();
      if (!items.isEmpty()) {
        Duration lag = Duration.between(items.get(0).timestamp(), clock.instant());
        metrics.sinkLag(SINK, lag.isNegative() ? Duration.ZERO : lag);
      }
      int part = settings.inFlightMax();
      // A part's end is its last event's cursor, where the feed itself ends a full page.
      for (int i = 0; i < items.size() || i == 0; i += part) {
        List<FeedEvent> events = items.subList(i, Math.min(items.size(), i + part));
        FeedCursor end =
            i + part >= items.size() ? page.next() : events.get(events.size() - 1).cursor();
        while (window.full()) {
          awaitOldest();
          handOnDone();
        }
        window.add(new Window.Part(end, events.size(), attempts.send(routes, events, failing)));
      }
      handOnDone();
      // A full page may have more behind it: its last event is the best guess at the next one's
      // age.
      Duration behind =
          items.size() < PAGE_SIZE
              ? Duration.ZERO
              : Duration.between(items.get(items.size() - 1).timestamp(), clock.instant());
      metrics.sinkLag(SINK, behind.isNegative() ? Duration.ZERO : behind);
      return page.next();
    }

    /** Waits for the oldest part's answers, or until closing. */
    private void awaitOldest() throws Exception {
      CompletableFuture<?> oldest = window.head().orElseThrow();
      try {
        CompletableFuture.anyOf(oldest, closing)
            .get(PART_WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException("a part's attempts took longer than " + PART_WAIT_MAX, e);
      }
    }

    /** Writes the rows of the parts answered from the oldest on, and moves the cursor past them. */
    private void handOnDone() throws SQLException {
      Optional<Window.Done> taken = window.takeDone();
      if (taken.isEmpty()) {
        return;
      }
      Window.Done done = taken.get();
      store.handOn(lock, SINK, done.rows(), done.end());
      boolean pending = false;
      for (NewDelivery d : done.rows()) {
        if (d.attempts() > 0) {
          metrics.delivery(result(d));
        }
        pending |= d.status() == Delivery.Status.PENDING;
      }
      metrics.published(SINK, done.events());
      if (pending) {
        dispatched.run();
      }
    }

    /**
     * With no endpoint enabled there is nobody to deliver to: the cursor moves to the feed's head
     * without reading an event, so an idle sink costs a query a second, not a second read of every
     * change the service makes; an endpoint gets the events from about when it was enabled.
     */
    private FeedCursor skipToHead(FeedCursor after) throws Exception {
      FeedCursor head =
          feed.head().toCompletableFuture().get(HEAD_WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
      // Asked again after the head was read: an endpoint enabled since may want events the head
      // already counts; one enabled after this answer was enabled after them.
      if (store.anyEnabled()) {
        idle = false;
        return after;
      }
      metrics.sinkLag(SINK, Duration.ZERO);
      FeedCursor next = after;
      if (head.compareTo(after) > 0) {
        lock.save(head);
        next = head;
      }
      try {
        closing.get(IDLE_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // The pause is over: look again.
      }
      return next;
    }
  }

  private static DeliveryResult result(NewDelivery d) {
    if (d.status() == Delivery.Status.DELIVERED) {
      return DeliveryResult.DELIVERED;
    }
    if (d.status() == Delivery.Status.PENDING) {
      return DeliveryResult.RETRYING;
    }
    return d.gone() ? DeliveryResult.GONE : DeliveryResult.GIVEN_UP;
  }
}
