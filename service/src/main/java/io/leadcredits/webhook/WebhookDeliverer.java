package io.leadcredits.webhook;

import io.leadcredits.Limits;
import io.leadcredits.WebhookSettings;
import io.leadcredits.sink.DeliveryResult;
import io.leadcredits.sink.SinkMetrics;
import io.leadcredits.webhook.Poster.Answer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due deliveries: takes them from the store with a lease, POSTs each with its Standard
 * Webhooks headers, at most {@code in-flight-max} at once, and records what the answer means
 * ({@link RetryPolicy}). It looks for due deliveries every {@link #POLL_INTERVAL}, at once when the
 * dispatcher made some, and when half its slots have come free. A node that dies mid-attempt leaves
 * its leased rows to come due again when the lease ends: at-least-once.
 */
final class WebhookDeliverer {
  /** How often due deliveries (retries) are looked for when nothing new was dispatched. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(500);

  /**
   * How long a taken delivery is kept from other deliverers: the attempt's timeout and a margin for
   * recording its answer. Past it, a delivery whose node died is tried again.
   */
  private static final Duration LEASE = Limits.webhookAttemptTimeout.plusSeconds(20);

  /** Outcomes recorded in one transaction at most. */
  private static final int OUTCOMES_PER_COMMIT_MAX = 500;

  private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);

  private final WebhookStore store;
  private final WebhookSettings settings;
  private final RetryPolicy policy;
  private final SinkMetrics metrics;
  private final Executor blocking;
  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final Poster poster;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Set<CompletableFuture<Void>> underWay = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean pollQueued = new AtomicBoolean();
  private final Batcher<Outcome> outcomes;
  private volatile boolean running = true;

  WebhookDeliverer(
      WebhookStore store,
      WebhookSettings settings,
      SinkMetrics metrics,
      Executor blocking,
      ScheduledExecutorService timer,
      Clock clock,
      Poster poster) {
    this.store = store;
    this.settings = settings;
    this.policy = new RetryPolicy(settings);
    this.metrics = metrics;
    this.blocking = blocking;
    this.timer = timer;
    this.clock = clock;
    // A lost batch leaves its deliveries leased: they come due again when the lease ends, sent
    // twice rather than lost.
    this.outcomes = new Batcher<>(OUTCOMES_PER_COMMIT_MAX, store::record, blocking);
    this.poster = poster;
  }

  void start() {
    timer.scheduleWithFixedDelay(this::poll, 0, POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** New deliveries were made: look for due ones now rather than at the next tick. */
  void nudge() {
    if (running && pollQueued.compareAndSet(false, true)) {
      timer.execute(this::poll);
    }
  }

  void stop() {
    running = false;
  }

  private void poll() {
    pollQueued.set(false);
    if (!running) {
      return;
    }
    try {
      int free = settings.inFlightMax() - inFlight.get();
      while (free > 0 && running) {
        List<Attempt> due = store.lease(free, clock.instant(), LEASE);
        for (Attempt a : due) {
          inFlight.incrementAndGet();
          send(a);
        }
        if (due.size() < free) {
          return;
        }
        free = settings.inFlightMax() - inFlight.get();
      }
    } catch (Exception e) {
      // The scheduler stops a task that throws; the next tick tries again.
      log.warn("webhook deliverer: {}", e.toString());
    }
  }

  private void send(Attempt a) {
    CompletableFuture<Void> attempt =
        CompletableFuture.supplyAsync(
                () -> UrlPolicy.refusal(a.url(), settings.allowPrivate()), blocking)
            .thenCompose(refusal -> refusal.isPresent() ? refused(a, refusal.get()) : post(a))
            .thenCompose(answer -> record(a, answer));
    underWay.add(attempt);
    attempt.whenComplete(
        (done, failure) -> {
          underWay.remove(attempt);
          int left = inFlight.decrementAndGet();
          if (failure != null) {
            log.warn("webhook delivery {}: {}", a.deliveryId(), failure.toString());
          }
          // Half the slots free: take more now. Waiting for the next tick capped a backlog's
          // delivery at in-flight-max per tick; refilling at half, not at every answer, keeps a
          // lease taking many rows at once.
          if (left == settings.inFlightMax() / 2) {
            nudge();
          }
        });
  }

  /** Completes once every attempt under way now has been recorded (or has failed). */
  CompletableFuture<Void> settled() {
    return CompletableFuture.allOf(underWay.toArray(new CompletableFuture<?>[0]))
        .handle((done, failure) -> null);
  }

  private CompletableFuture<Answer> post(Attempt a) {
    return poster.post(a.url(), a.secret(), a.eventId(), a.body());
  }

  private CompletableFuture<Answer> refused(Attempt a, String reason) {
    log.warn("webhook delivery {} not sent: {}", a.deliveryId(), reason);
    return CompletableFuture.completedFuture(Answer.NONE);
  }

  /** Queues the attempt's outcome for the next batch; completes once it is recorded. */
  private CompletableFuture<Void> record(Attempt a, Answer answer) {
    Instant now = clock.instant();
    RetryPolicy.Decision d =
        policy.decide(
            answer.status(),
            RetryPolicy.retryAfter(answer.retryAfter(), now),
            a.attemptsBefore(),
            a.dispatchedAt(),
            now,
            ThreadLocalRandom.current().nextDouble());
    return outcomes
        .add(new Outcome(a, answer.status(), d.result(), now, d.nextAttemptAt()))
        .thenRun(
            () -> {
              metrics.delivery(d.result());
              if (d.result() == DeliveryResult.GONE) {
                log.info("webhook endpoint {} answered 410 Gone: disabled", a.endpointId());
              }
            });
  }
}
