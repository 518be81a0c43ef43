package io.leadcredits.webhook;

import io.leadcredits.WebhookSettings;
import io.leadcredits.feed.EventFeed;
import io.leadcredits.feed.JdbcSinkOffsets;
import io.leadcredits.feed.SinkWorker;
import io.leadcredits.sink.SinkMetrics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Signed webhooks: the endpoints an admin registers, and the dispatcher and deliverer that send
 * every event to each endpoint that wants it, at least once. What the API asks of them runs on
 * {@code blocking} (it touches the database and, for a new URL, DNS).
 */
public final class Webhooks implements AutoCloseable {
  /** The dispatcher's name in {@code event_sink_offsets}, and its lock's. */
  public static final String SINK = WebhookDispatcher.SINK;

  private static final SecureRandom random = new SecureRandom();

  /**
   * How long closing waits for the deliverer's attempts in flight, after the dispatcher's own wait
   * for its parts under way (1 s): together within the 5 s the shutdown gives the stores, whose
   * first step this is.
   */
  private static final Duration stopTimeout = Duration.ofMillis(1500);

  private final WebhookStore store;
  private final WebhookSettings settings;
  private final Executor blocking;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final WebhookDeliverer deliverer;
  private final WebhookDispatcher dispatcher;

  private Webhooks(
      EventFeed feed,
      WebhookStore store,
      WebhookSettings settings,
      SinkMetrics metrics,
      Executor blocking,
      Clock clock,
      JdbcSinkOffsets offsets,
      SinkWorker.Locks locks) {
    this.store = store;
    this.settings = settings;
    this.blocking = blocking;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "webhooks");
              t.setDaemon(true);
              return t;
            });
    Poster poster = new Poster(blocking, clock);
    this.deliverer = new WebhookDeliverer(store, settings, metrics, blocking, timer, clock, poster);
    this.dispatcher =
        new WebhookDispatcher(
            feed, store, settings, poster, metrics, clock, deliverer::nudge, offsets, locks);
  }

  /**
   * Starts dispatching the feed (on the node holding the sink's lock, taken through {@code locks})
   * and delivering what is due (on every node).
   */
  public static Webhooks start(
      EventFeed feed,
      WebhookStore store,
      WebhookSettings settings,
      SinkMetrics metrics,
      Executor blocking,
      Clock clock,
      JdbcSinkOffsets offsets,
      SinkWorker.Locks locks) {
    Webhooks webhooks =
        new Webhooks(feed, store, settings, metrics, blocking, clock, offsets, locks);
    webhooks.dispatcher.start();
    webhooks.deliverer.start();
    return webhooks;
  }

  /**
   * Registers {@code url} for {@code types} (validated by the caller; empty: every type), or
   * refuses it: a URL into a private network, or one endpoint too many.
   */
  public CompletionStage<Registration> create(String url, List<String> types, String description) {
    return CompletableFuture.supplyAsync(
        () -> {
          Optional<String> refusal = UrlPolicy.refusal(url, settings.allowPrivate());
          if (refusal.isPresent()) {
            return new Registration.Refused(refusal.get());
          }
          WebhookEndpoint endpoint =
              new WebhookEndpoint(
                  newId(),
                  url,
                  types,
                  description,
                  WebhookEndpoint.Status.ENABLED,
                  clock.instant().truncatedTo(ChronoUnit.MICROS));
          String secret = Signatures.newSecret();
          boolean made = call(() -> store.create(endpoint, secret));
          return made
              ? new Registration.Made(endpoint, secret)
              : new Registration.Refused(
                  "there are already "
                      + io.leadcredits.Limits.webhookEndpointsMax
                      + " webhook endpoints; delete one first");
        },
        blocking);
  }

  public CompletionStage<List<WebhookEndpoint>> list() {
    return CompletableFuture.supplyAsync(() -> call(store::list), blocking);
  }

  /** The endpoint, or empty when there is none (or it was deleted). */
  public CompletionStage<Optional<WebhookEndpoint>> find(String id) {
    return CompletableFuture.supplyAsync(() -> call(() -> store.find(id)), blocking);
  }

  /** Whether there was such an endpoint to delete. */
  public CompletionStage<Boolean> delete(String id) {
    return CompletableFuture.supplyAsync(() -> call(() -> store.delete(id)), blocking);
  }

  /** Enables the endpoint again; the endpoint, or empty when there is no such endpoint. */
  public CompletionStage<Optional<WebhookEndpoint>> enable(String id) {
    return CompletableFuture.supplyAsync(() -> call(() -> store.enable(id)), blocking);
  }

  /** The endpoint's new secret, or empty when there is no such endpoint. */
  public CompletionStage<Optional<String>> rotateSecret(String id) {
    return CompletableFuture.supplyAsync(
        () -> {
          String secret = Signatures.newSecret();
          return call(() -> store.rotateSecret(id, secret))
              ? Optional.of(secret)
              : Optional.empty();
        },
        blocking);
  }

  /** The endpoint's newest deliveries, or empty when there is no such endpoint. */
  public CompletionStage<Optional<List<Delivery>>> deliveries(String id, int limit) {
    return CompletableFuture.supplyAsync(
        () ->
            call(() -> store.find(id)).isEmpty()
                ? Optional.empty()
                : Optional.of(call(() -> store.deliveries(id, limit))),
        blocking);
  }

  /**
   * Stops dispatching and taking deliveries, and waits a moment for the attempts in flight to be
   * recorded (one cut off is sent again by whichever node takes it next).
   */
  @Override
  public void close() {
    deliverer.stop();
    // Parts under way, if cut off, are read again from the stored cursor.
    dispatcher.close();
    // An attempt cut off is sent again when its lease ends: at-least-once, nothing lost.
    awaitQuietly(deliverer.settled());
    timer.shutdownNow();
  }

  private static void awaitQuietly(java.util.concurrent.Future<?> done) {
    try {
      done.get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // Shutting down: what did not finish is done again after the restart, as said above.
    }
  }

  private static String newId() {
    byte[] b = new byte[12];
    random.nextBytes(b);
    return "wh_" + HexFormat.of().formatHex(b);
  }

  /** A blocking store call. */
  @FunctionalInterface
  private interface StoreCall<T> {
    T run() throws java.sql.SQLException;
  }

  private static <T> T call(StoreCall<T> c) {
    try {
      return c.run();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("the webhook tables failed: " + e.getMessage(), e);
    }
  }
}
