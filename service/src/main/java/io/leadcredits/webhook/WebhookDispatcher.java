package io.leadcredits.webhook;

import io.leadcredits.WebhookSettings;
import io.leadcredits.feed.EventFeed;
import io.leadcredits.feed.EventJson;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedEvent;
import io.leadcredits.feed.FeedPage;
import io.leadcredits.feed.TypeFilter;
import io.leadcredits.sink.DeliveryResult;
import io.leadcredits.sink.SinkMetrics;
import io.leadcredits.webhook.Poster.Answer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /** The pause before reading the stored cursor again while another node hands pages on. */
  private static final Duration BUSY_PAUSE = Duration.ofMillis(200);

  /** The body kept for a delivery that is over: it is never sent again. */
  private static final byte[] NO_BODY = new byte[0];

  /** The pause before trying again after the database failed. */
  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  private final EventFeed feed;
  private final WebhookStore store;
  private final WebhookSettings settings;
  private final RetryPolicy policy;
  private final Poster poster;
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
      WebhookSettings settings,
      Poster poster,
      SinkMetrics metrics,
      Executor blocking,
      ScheduledExecutorService timer,
      Clock clock,
      Runnable dispatched) {
    this.feed = feed;
    this.store = store;
    this.settings = settings;
    this.policy = new RetryPolicy(settings);
    this.poster = poster;
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
                // Another node handed this page on first, or is handing one on now.
                later(this::resume, BUSY_PAUSE);
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
      int made;
      try {
        made = store.dispatch(SINK, from, List.of(), page.next(), clock.instant());
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("moving the webhook cursor failed: " + e.getMessage(), e);
      }
      return made < 0 ? null : page.next();
    }
    Duration lag = Duration.between(page.items().get(0).timestamp(), clock.instant());
    metrics.sinkLag(SINK, lag.isNegative() ? Duration.ZERO : lag);
    // Handed on in parts of in-flight-max events, each committed before the next is sent: a crash
    // sends again at most the part under way, in-flight-max copies per endpoint, as docs/events.md
    // promises (a part's end is its last event's cursor, where the feed itself ends a full page).
    List<FeedEvent> items = page.items();
    int part = settings.inFlightMax();
    FeedCursor at = from;
    boolean pending = false;
    for (int i = 0; i < items.size(); i += part) {
      List<FeedEvent> events = items.subList(i, Math.min(items.size(), i + part));
      FeedCursor next =
          i + part >= items.size() ? page.next() : events.get(events.size() - 1).cursor();
      List<NewDelivery> rows;
      int made;
      try (WebhookStore.Handover handover = store.begin(SINK, at)) {
        if (handover == null) {
          return null;
        }
        rows = firstAttempts(handover.routes(), events);
        made = handover.commit(rows, next);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("dispatching webhooks failed: " + e.getMessage(), e);
      }
      if (made < 0) {
        return null;
      }
      for (NewDelivery d : rows) {
        if (d.attempts() > 0) {
          metrics.delivery(result(d));
        }
        pending |= d.status() == Delivery.Status.PENDING;
      }
      metrics.published(SINK, events.size());
      at = next;
    }
    // A full page may have more behind it: its last event is the best guess at the next one's age.
    Duration behind =
        page.items().size() < PAGE_SIZE
            ? Duration.ZERO
            : Duration.between(
                page.items().get(page.items().size() - 1).timestamp(), clock.instant());
    metrics.sinkLag(SINK, behind.isNegative() ? Duration.ZERO : behind);
    if (pending) {
      dispatched.run();
    }
    return page.next();
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

  /**
   * Tries each event of the page at each endpoint that accepts it and has no backlog, and answers a
   * row for every (event, endpoint): what its first attempt came to, or a pending one, untried, for
   * an endpoint with a backlog or one that failed earlier in this page (it goes to the deliverer's
   * retries). An endpoint's events go out on several lanes side by side, each lane one POST at a
   * time, so at most {@code in-flight-max} POSTs are under way for the page. Blocks until every
   * attempt is answered (within the attempt timeout).
   */
  private List<NewDelivery> firstAttempts(List<Route> routes, List<FeedEvent> events) {
    Instant now = clock.instant();
    byte[][] bodies = new byte[events.size()][];
    int tried = 0;
    for (Route r : routes) {
      tried += r.backlog() ? 0 : 1;
    }
    int lanes = Math.max(1, settings.inFlightMax() / Math.max(1, tried));
    List<NewDelivery> rows = java.util.Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> underWay = new ArrayList<>();
    for (Route r : routes) {
      List<Integer> mine = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        if (r.accepts(events.get(i).type())) {
          mine.add(i);
          if (bodies[i] == null) {
            bodies[i] = EventJson.bytes(events.get(i));
          }
        }
      }
      if (mine.isEmpty()) {
        continue;
      }
      Optional<String> refusal =
          r.backlog() ? Optional.empty() : UrlPolicy.refusal(r.url(), settings.allowPrivate());
      if (refusal.isPresent()) {
        log.warn("webhook endpoint {} not sent to: {}", r.endpointId(), refusal.get());
      }
      // Once one attempt failed the rest are left to the retries: a receiver that is down or slow
      // holds the page up by one attempt at most, not one per event.
      AtomicBoolean failed = new AtomicBoolean(r.backlog());
      for (int lane = 0; lane < Math.min(lanes, mine.size()); lane++) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int k = lane; k < mine.size(); k += lanes) {
          FeedEvent e = events.get(mine.get(k));
          byte[] body = bodies[mine.get(k)];
          chain =
              chain.thenCompose(
                  done -> {
                    if (failed.get()) {
                      rows.add(untried(r, e, body, now));
                      return CompletableFuture.completedFuture(null);
                    }
                    CompletableFuture<Answer> answer =
                        refusal.isPresent()
                            ? CompletableFuture.completedFuture(Answer.NONE)
                            : poster.post(r.url(), r.secret(), e.id(), body);
                    return answer.thenAccept(
                        a -> {
                          NewDelivery d = answered(r, e, body, a, now);
                          if (d.status() != Delivery.Status.DELIVERED) {
                            failed.set(true);
                          }
                          rows.add(d);
                        });
                  });
        }
        underWay.add(chain);
      }
    }
    CompletableFuture.allOf(underWay.toArray(new CompletableFuture<?>[0])).join();
    return List.copyOf(rows);
  }

  private static NewDelivery untried(Route r, FeedEvent e, byte[] body, Instant now) {
    return new NewDelivery(
        r.endpointId(), e, body, Delivery.Status.PENDING, 0, null, null, now, false);
  }

  /** The row of a first attempt's answer; a delivered one keeps no body, it is never sent again. */
  private NewDelivery answered(Route r, FeedEvent e, byte[] body, Answer a, Instant dispatchedAt) {
    Instant at = clock.instant();
    RetryPolicy.Decision d =
        policy.decide(
            a.status(),
            RetryPolicy.retryAfter(a.retryAfter(), at),
            0,
            dispatchedAt,
            at,
            ThreadLocalRandom.current().nextDouble());
    Integer code = a.status() == RetryPolicy.NO_ANSWER ? null : a.status();
    switch (d.result()) {
      case DELIVERED:
        return new NewDelivery(
            r.endpointId(), e, NO_BODY, Delivery.Status.DELIVERED, 1, code, at, at, false);
      case RETRYING:
        return new NewDelivery(
            r.endpointId(),
            e,
            body,
            Delivery.Status.PENDING,
            1,
            code,
            at,
            d.nextAttemptAt(),
            false);
      case GONE:
        log.info("webhook endpoint {} answered 410 Gone: disabled", r.endpointId());
        return new NewDelivery(
            r.endpointId(), e, NO_BODY, Delivery.Status.FAILED, 1, code, at, at, true);
      default:
        return new NewDelivery(
            r.endpointId(), e, NO_BODY, Delivery.Status.FAILED, 1, code, at, at, false);
    }
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
