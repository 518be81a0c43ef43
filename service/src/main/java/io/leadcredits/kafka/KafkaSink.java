package io.leadcredits.kafka;

import io.leadcredits.feed.EventFeed;
import io.leadcredits.feed.EventJson;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedEvent;
import io.leadcredits.feed.FeedPage;
import io.leadcredits.feed.JdbcSinkOffsets;
import io.leadcredits.feed.SinkLock;
import io.leadcredits.feed.SinkWorker;
import io.leadcredits.feed.TypeFilter;
import io.leadcredits.metrics.EventSinkMeters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every event of the feed to a Kafka topic, at least once, in the feed's order: key the
 * event's {@code subject} (so one subject's events share a partition and keep their order), value
 * the event's JSON (the bytes of {@link EventJson}), headers {@code id} and {@code type}.
 *
 * <p>It reads a page of the feed from its stored cursor, sends the page, waits until the broker has
 * acknowledged every record of it (acks=all, idempotent producer: the client's own retries neither
 * reorder nor duplicate), and only then stores the cursor after the page. A crash between the
 * acknowledgement and the store publishes that page again after the restart, never skips it. Any
 * failure (the broker unreachable past the delivery timeout, the database gone) drops the producer
 * and the lock, waits with exponential backoff, and starts again from the stored cursor.
 *
 * <p>One node of a cluster runs it: the one holding the sink's {@link SinkLock}; the others try for
 * it now and then and take over when its holder stops (its {@link SinkWorker}).
 */
public final class KafkaSink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaSink.class);

  /** The sink's name: its cursor's row in event_sink_offsets, its lock, its metrics' label. */
  public static final String SINK = "kafka";

  /**
   * Events per page: per stored cursor, so also the most a crash can publish twice. Large enough
   * that the store (one row update) is negligible next to the records, small enough to be sent in
   * one go.
   */
  public static final int pageEventsMax = 500;

  /**
   * How long the producer keeps trying to deliver a record before the page is given up and tried
   * again from the stored cursor; a broker restart fits well inside it.
   */
  private static final Duration deliveryTimeout = Duration.ofSeconds(60);

  private static final Duration requestTimeout = Duration.ofSeconds(10);

  /** How long a send may block for the topic's metadata (the broker unreachable). */
  private static final Duration metadataWaitMax = Duration.ofSeconds(10);

  /**
   * What a closing sink gives records in flight before it abandons them. Its close and the wait for
   * its thread stay well inside the 10 s Pekko gives the shutdown phase that closes it.
   */
  private static final Duration closeWaitMax = Duration.ofSeconds(3);

  private final KafkaSettings settings;
  private final EventFeed feed;
  private final EventSinkMeters meters;
  private final SinkWorker worker;

  private KafkaSink(
      KafkaSettings settings,
      EventFeed feed,
      JdbcSinkOffsets offsets,
      SinkWorker.Locks locks,
      EventSinkMeters meters) {
    this.settings = settings;
    this.feed = feed;
    this.meters = meters;
    this.worker =
        new SinkWorker(
            SINK, "the Kafka sink", "leadcredits-kafka-sink", offsets, locks, this::open);
  }

  /** Starts publishing in a thread of its own. */
  public static KafkaSink start(
      KafkaSettings settings,
      EventFeed feed,
      JdbcSinkOffsets offsets,
      SinkWorker.Locks locks,
      EventSinkMeters meters) {
    KafkaSink sink = new KafkaSink(settings, feed, offsets, locks, meters);
    sink.worker.start();
    return sink;
  }

  /** A run publishing page after page from {@code from} through a producer of its own. */
  private SinkWorker.Run open(SinkLock lock, FeedCursor from) {
    log.info("publishing the event feed to Kafka topic {} from {}", settings.topic(), from);
    Producer<String, byte[]> p = new KafkaProducer<>(producerConfig(settings));
    return new SinkWorker.Run() {
      @Override
      public FeedCursor page(FeedCursor after) throws Exception {
        return publishPage(after, lock, p);
      }

      @Override
      public void closing() {
        p.close(closeWaitMax);
      }

      @Override
      public void end(boolean failed) {
        // After a failed send the page is published again from the stored cursor: records still
        // queued behind the failed one are dropped, not flushed, so none of them reaches the topic
        // ahead of the failed record's copy (a subject's events would then read out of order).
        p.close(failed ? Duration.ZERO : closeWaitMax);
      }
    };
  }

  private FeedCursor publishPage(FeedCursor after, SinkLock lock, Producer<String, byte[]> p)
      throws Exception {
    FeedPage page = SinkWorker.read(feed, after, pageEventsMax, TypeFilter.ALL);
    if (page.items().isEmpty()) {
      meters.caughtUp();
      if (!page.next().equals(after)) {
        lock.save(page.next()); // past journal rows that announce nothing
      }
      return page.next();
    }
    meters.pendingSince(page.items().get(0).timestamp());
    List<Future<RecordMetadata>> acks = new ArrayList<>(page.items().size());
    for (FeedEvent e : page.items()) {
      acks.add(p.send(record(settings.topic(), e)));
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get(deliveryTimeout.plus(requestTimeout).toMillis(), TimeUnit.MILLISECONDS);
    }
    lock.save(page.next());
    meters.published(page.items().size());
    meters.caughtUp();
    return page.next();
  }

  /**
   * The record of {@code e}: keyed by its subject, its JSON as the value, id and type as headers.
   */
  static ProducerRecord<String, byte[]> record(String topic, FeedEvent e) {
    ProducerRecord<String, byte[]> r =
        new ProducerRecord<>(topic, null, e.subject(), EventJson.bytes(e));
    r.headers().add("id", e.id().getBytes(StandardCharsets.UTF_8));
    r.headers().add("type", e.type().getBytes(StandardCharsets.UTF_8));
    return r;
  }

  static Properties producerConfig(KafkaSettings settings) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", settings.bootstrapServers()));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "leadcredits-" + SINK);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    // Stored by every in-sync replica before it counts as sent; retries keep order, add no copy.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // The most an idempotent producer keeps in flight per partition with order still guaranteed.
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeout.toMillis()));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeout.toMillis()));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(metadataWaitMax.toMillis()));
    // A page is sent at once; a few milliseconds let its records share batches.
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return p;
  }

  /**
   * Stops publishing: records in flight get a moment to be acknowledged; a page not acknowledged by
   * then is published again by the next run, from the stored cursor.
   */
  @Override
  public void close() {
    worker.close();
  }
}
