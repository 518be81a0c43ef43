package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.WebhookSettings;
import io.leadcredits.account.AccountEvent.Credited;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.feed.EventFeed;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedPage;
import io.leadcredits.feed.JdbcSinkOffsets;
import io.leadcredits.feed.SinkLock;
import io.leadcredits.feed.TypeFilter;
import io.leadcredits.sink.DeliveryResult;
import io.leadcredits.sink.SinkMetrics;
import io.leadcredits.support.Await;
import io.leadcredits.support.EntityTestKits;
import io.leadcredits.webhook.WebhookEndpoint;
import io.leadcredits.webhook.Webhooks;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no endpoint enabled the webhook sink reads no event: its cursor follows the feed's head, so
 * an idle sink does not read every change the service makes a second time. An endpoint enabled
 * later gets what comes after, not the backlog from before it existed.
 */
class IdleWebhookSinkTest {
  private static final Duration SOON = Duration.ofSeconds(20);

  @TempDir Path dataDir;

  @Test
  void withNoEndpointTheCursorFollowsTheHeadWithoutReadingAnEvent() throws Exception {
    ActorTestKit kit = ActorTestKit.create(EntityTestKits.config());
    ExecutorService blocking = Executors.newFixedThreadPool(2);
    try (Database db = Database.start(TestDatabases.embeddedIn(dataDir));
        JournalFeed journal =
            new JournalFeed(
                db.dataSource(), SerializationExtension.get(Adapter.toClassic(kit.system())))) {
      Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
      for (long seq = 1; seq <= 3; seq++) {
        insert(db, serialization, "old", seq);
      }
      AtomicInteger reads = new AtomicInteger();
      EventFeed counted =
          new EventFeed() {
            @Override
            public CompletionStage<FeedPage> read(
                FeedCursor after, int limit, TypeFilter types, Duration wait) {
              reads.incrementAndGet();
              return journal.read(after, limit, types, wait);
            }

            @Override
            public CompletionStage<FeedCursor> head() {
              return journal.head();
            }
          };
      JdbcWebhookStore store = new JdbcWebhookStore(db.dataSource());
      AtomicLong published = new AtomicLong();
      Webhooks webhooks =
          Webhooks.start(
              counted,
              store,
              new WebhookSettings(
                  true, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMinutes(1), 4, 4),
              new Counting(published),
              blocking,
              Clock.systemUTC(),
              new JdbcSinkOffsets(db.dataSource()),
              () -> SinkLock.tryAcquire(db.jdbcUrl(), db.user(), db.password(), Webhooks.SINK));
      try {
        FeedCursor head = journal.head().toCompletableFuture().get();
        assertThat(head).isNotEqualTo(FeedCursor.START);
        Await.until(SOON, "the idle sink at the head", () -> cursor(store).compareTo(head) >= 0);
        assertThat(reads.get()).as("feed reads with no endpoint").isZero();
        assertThat(published.get()).isZero();

        store.create(
            new WebhookEndpoint(
                "wh_idle",
                "http://127.0.0.1:9/hook",
                List.of(),
                null,
                WebhookEndpoint.Status.ENABLED,
                Instant.now()),
            "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0");
        insert(db, serialization, "new", 1);
        Await.until(SOON, "the new event dispatched", () -> !deliveries(store).isEmpty());
        assertThat(store.deliveries("wh_idle", 10)).hasSize(1);
        assertThat(published.get()).isEqualTo(1);
      } finally {
        webhooks.close();
        blocking.shutdownNow();
        kit.shutdownTestKit();
      }
    }
  }

  private static List<?> deliveries(JdbcWebhookStore store) {
    try {
      return store.deliveries("wh_idle", 10);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FeedCursor cursor(JdbcWebhookStore store) {
    try {
      return store.cursor("webhooks");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A credit of {@code account} as the journal plugin writes it. */
  private static void insert(Database db, Serialization serialization, String account, long seq)
      throws SQLException {
    Credited event =
        new Credited(
            new Entry(account + "-" + seq, 1, seq - 1, seq, 0, 0, Instant.now(), Map.of()),
            "fingerprint");
    Serializer serializer = serialization.findSerializerFor(event);
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO event_journal (persistence_id, sequence_number, writer,"
                    + " write_timestamp, event_ser_id, event_ser_manifest, event_payload)"
                    + " VALUES (?, ?, 'test', 0, ?, ?, ?)")) {
      s.setString(1, "Account|" + account);
      s.setLong(2, seq);
      s.setInt(3, serializer.identifier());
      s.setString(4, Serializers.manifestFor(serializer, event));
      s.setBytes(5, serializer.toBinary(event));
      s.executeUpdate();
    }
  }

  private record Counting(AtomicLong published) implements SinkMetrics {
    @Override
    public void published(String sink, int events) {
      published.addAndGet(events);
    }

    @Override
    public void sinkLag(String sink, Duration lag) {}

    @Override
    public void delivery(DeliveryResult result) {}
  }
}
