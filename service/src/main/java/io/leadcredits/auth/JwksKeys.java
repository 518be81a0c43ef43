package io.leadcredits.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity provider's JWK set, fetched at start and kept in memory. It is fetched again when a
 * token names a key it lacks (a rotation), at most once per {@code unknownKeyRefreshMin}, so a
 * flood of made-up key ids cannot turn into a flood of requests to the provider; and every {@link
 * #refreshEvery} in the background, so a key the provider removed stops being accepted. A failed
 * fetch keeps the keys already known: the provider down after start does not stop sign-in.
 */
final class JwksKeys implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JwksKeys.class);

  /** A removed key is dropped within this; providers announce a rotation a day or more ahead. */
  static final Duration refreshEvery = Duration.ofMinutes(5);

  /** Until the first fetch succeeds, it is tried this often. */
  static final Duration firstFetchRetry = Duration.ofSeconds(2);

  /** A fetch on a request's path blocks that request: bounded well below the ask timeout. */
  static final Duration fetchTimeout = Duration.ofSeconds(3);

  /** A JWK set is a few keys; anything much larger is not one. */
  private static final int bodyBytesMax = 512 * 1024;

  private final URI url;
  private final HttpClient client;
  private final LongSupplier nanos;
  private final ScheduledExecutorService scheduler;
  private final Runnable onChange;
  private final long unknownKeyRefreshMinNanos;

  /** Null until the first successful fetch. */
  private volatile JWKSet keys;

  /** Guarded by {@code this}: when the last fetch was tried, or Long.MIN_VALUE. */
  private long lastAttemptNanos = Long.MIN_VALUE;

  JwksKeys(URI url, Duration unknownKeyRefreshMin, LongSupplier nanos, Runnable onChange) {
    this.url = url;
    this.unknownKeyRefreshMinNanos = unknownKeyRefreshMin.toNanos();
    this.nanos = nanos;
    this.onChange = onChange;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(fetchTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "leadcredits-jwks");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Tries a first fetch now and keeps trying in the background until one succeeds; then refreshes
   * every {@link #refreshEvery}. {@code onChange} runs after each fetch that changed the keys.
   */
  static JwksKeys start(URI url, Duration unknownKeyRefreshMin, Runnable onChange) {
    JwksKeys keys = new JwksKeys(url, unknownKeyRefreshMin, System::nanoTime, onChange);
    keys.begin();
    return keys;
  }

  /** The first fetch now, then the background ones. */
  void begin() {
    fetchNow();
    scheduleNext();
  }

  private void scheduleNext() {
    Duration delay = keys == null ? firstFetchRetry : refreshEvery;
    try {
      scheduler.schedule(
          () -> {
            fetchNow();
            scheduleNext();
          },
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed: no more refreshes.
    }
  }

  /** Whether a key set was ever fetched. */
  boolean ready() {
    return keys != null;
  }

  /**
   * The key of this id, fetching the set again if it lacks it and the last fetch was long enough
   * ago; null if there is none (or no set was ever fetched).
   */
  JWK key(String kid) {
    JWKSet known = keys;
    JWK key = known == null ? null : known.getKeyByKeyId(kid);
    if (key != null) {
      return key;
    }
    synchronized (this) {
      // Another request may have fetched it while this one waited.
      known = keys;
      key = known == null ? null : known.getKeyByKeyId(kid);
      if (key != null
          || (lastAttemptNanos != Long.MIN_VALUE
              && nanos.getAsLong() - lastAttemptNanos < unknownKeyRefreshMinNanos)) {
        return key;
      }
      fetchNow();
      known = keys;
      return known == null ? null : known.getKeyByKeyId(kid);
    }
  }

  /** One fetch; a failure is logged and changes nothing. */
  private synchronized void fetchNow() {
    lastAttemptNanos = nanos.getAsLong();
    try {
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(url)
                  .timeout(fetchTimeout)
                  .header("Accept", "application/json")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        log.warn("JWK set {} answered {}; keeping the keys known", url, response.statusCode());
        return;
      }
      if (response.body().length > bodyBytesMax) {
        log.warn("JWK set {} is larger than {} bytes; keeping the keys known", url, bodyBytesMax);
        return;
      }
      JWKSet fetched =
          JWKSet.parse(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
      JWKSet before = keys;
      keys = fetched.toPublicJWKSet();
      if (before == null) {
        log.info("JWK set {} fetched: {} keys", url, fetched.getKeys().size());
      }
      if (before == null || !before.toString().equals(keys.toString())) {
        onChange.run();
      }
    } catch (java.io.IOException | java.text.ParseException e) {
      log.warn("JWK set {} could not be fetched: {}; keeping the keys known", url, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
