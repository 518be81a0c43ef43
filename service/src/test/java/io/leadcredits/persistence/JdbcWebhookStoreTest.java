package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.leadcredits.feed.EventJson;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedEvent;
import io.leadcredits.feed.SinkLock;
import io.leadcredits.sink.DeliveryResult;
import io.leadcredits.webhook.Attempt;
import io.leadcredits.webhook.Delivery;
import io.leadcredits.webhook.NewDelivery;
import io.leadcredits.webhook.Outcome;
import io.leadcredits.webhook.Route;
import io.leadcredits.webhook.WebhookEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook tables on the real PostgreSQL: a page is handed on by one node at a time, with its
 * cursor, and none of it to an endpoint deleted meanwhile; a leased delivery is nobody else's until
 * its lease ends; 410 disables, and enabling again lets what is pending go out; deleting an
 * endpoint deletes what it is still owed.
 */
class JdbcWebhookStoreTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir static Path dataDir;
  private static Database db;
  private static JdbcWebhookStore store;

  @BeforeAll
  static void start() {
    db = Database.start(TestDatabases.embeddedIn(dataDir));
    store = new JdbcWebhookStore(db.dataSource());
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @Test
  void aLeasedDeliveryIsNobodyElsesUntilItsLeaseEnds() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    WebhookEndpoint e = endpoint("wh_lease", List.of("credit."), now);
    assertThat(store.create(e, "whsec_CCCC")).isTrue();
    String sink = "webhooks-lease";
    pending(sink, List.of(e), List.of(event("evt_lease", "credit.debited", 3)), now);

    List<Attempt> first = mine(store.lease(100, now, LEASE), e);
    assertThat(first).hasSize(1);
    assertThat(first.get(0).eventId()).isEqualTo("evt_lease");
    assertThat(first.get(0).attemptsBefore()).isZero();
    assertThat(mine(store.lease(100, now.plusSeconds(29), LEASE), e)).isEmpty();
    // The node holding it died: when the lease ends the delivery is due again.
    List<Attempt> again = mine(store.lease(100, now.plusSeconds(31), LEASE), e);
    assertThat(again).hasSize(1);

    store.record(
        List.of(new Outcome(again.get(0), 500, DeliveryResult.RETRYING, now, now.plusSeconds(5))));
    Delivery retrying = store.deliveries(e.id(), 1).get(0);
    assertThat(retrying.status()).isEqualTo(Delivery.Status.PENDING);
    assertThat(retrying.attempts()).isEqualTo(1);
    assertThat(retrying.lastStatusCode()).isEqualTo(500);
    assertThat(retrying.nextAttemptAt()).isEqualTo(now.plusSeconds(5));

    store.record(List.of(new Outcome(again.get(0), 410, DeliveryResult.GONE, now, null)));
    assertThat(store.find(e.id()).orElseThrow().status())
        .isEqualTo(WebhookEndpoint.Status.DISABLED);
    assertThat(store.deliveries(e.id(), 1).get(0).status()).isEqualTo(Delivery.Status.FAILED);
    store.delete(e.id());
  }

  @Test
  void deletingAnEndpointDeletesItsPendingDeliveriesAndKeepsWhatWasDelivered() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    WebhookEndpoint e = endpoint("wh_delete", List.of(), now);
    WebhookEndpoint other = endpoint("wh_delete_other", List.of(), now);
    assertThat(store.create(e, "whsec_DDDD")).isTrue();
    assertThat(store.create(other, "whsec_EEEE")).isTrue();
    pendingTwo("webhooks-delete", "evt_del", now, e, other);
    Attempt done =
        mine(store.lease(100, now, LEASE), e).stream()
            .filter(a -> a.eventId().equals("evt_del_1"))
            .findFirst()
            .orElseThrow();
    store.record(List.of(new Outcome(done, 200, DeliveryResult.DELIVERED, now, null)));
    assertThat(rows(e.id(), "PENDING")).isEqualTo(1);

    assertThat(store.delete(e.id())).isTrue();
    assertThat(rows(e.id(), "PENDING")).isZero();
    assertThat(rows(e.id(), "DELIVERED")).isEqualTo(1);
    assertThat(mine(store.lease(100, now.plusSeconds(60), LEASE), e)).isEmpty();
    // The other endpoint's deliveries of the same events are untouched.
    assertThat(rows(other.id(), "PENDING")).isEqualTo(2);
    assertThat(store.delete(e.id())).isFalse();
    store.delete(other.id());
  }

  @Test
  void anEndpointDisabledByA410IsEnabledAgainAndWhatIsPendingGoesOut() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    WebhookEndpoint e = endpoint("wh_enable", List.of(), now);
    assertThat(store.create(e, "whsec_FFFF")).isTrue();
    pendingTwo("webhooks-enable", "evt_en", now, e);
    List<Attempt> both = mine(store.lease(100, now, LEASE), e);
    assertThat(both).hasSize(2);
    store.record(
        List.of(
            new Outcome(both.get(0), 500, DeliveryResult.RETRYING, now, now.plusSeconds(1)),
            new Outcome(both.get(1), 410, DeliveryResult.GONE, now, null)));
    assertThat(store.find(e.id()).orElseThrow().status())
        .isEqualTo(WebhookEndpoint.Status.DISABLED);
    assertThat(mine(store.lease(100, now.plusSeconds(2), LEASE), e)).isEmpty();

    assertThat(store.enable(e.id()).orElseThrow().status())
        .isEqualTo(WebhookEndpoint.Status.ENABLED);
    List<Attempt> pending = mine(store.lease(100, now.plusSeconds(2), LEASE), e);
    assertThat(pending).extracting(Attempt::eventId).containsExactly(both.get(0).eventId());
    // The delivery the 410 answered stays failed.
    assertThat(store.deliveries(e.id(), 10))
        .filteredOn(d -> d.eventId().equals(both.get(1).eventId()))
        .extracting(Delivery::status)
        .containsExactly(Delivery.Status.FAILED);
    store.delete(e.id());
    assertThat(store.enable(e.id())).isEmpty();
    assertThat(store.enable("wh_nobody")).isEmpty();
  }

  @Test
  void aHandoverIsOneNodesAtATimeAndWritesItsRowsWithTheCursor() throws Exception {
    String sink = "webhooks-handover";
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    WebhookEndpoint up = endpoint("wh_ho_up", List.of(), now);
    WebhookEndpoint down = endpoint("wh_ho_down", List.of(), now);
    assertThat(store.create(up, "whsec_GGGG")).isTrue();
    assertThat(store.create(down, "whsec_HHHH")).isTrue();
    FeedEvent event = event("evt_ho_1", "credit.credited", 1);
    FeedCursor next = new FeedCursor(3, 3, 0);
    try (SinkLock first = lock(sink)) {
      assertThat(mineRoutes(store.routes()))
          .extracting(Route::endpointId, Route::backlog)
          .containsExactlyInAnyOrder(tuple(up.id(), false), tuple(down.id(), false));
      // Another node, meanwhile: the page is being handed on, it does not POST it too.
      assertThat(SinkLock.tryAcquire(db.jdbcUrl(), db.user(), db.password(), sink)).isEmpty();
      int made =
          store.handOn(
              first,
              sink,
              List.of(
                  new NewDelivery(
                      up.id(),
                      event,
                      new byte[0],
                      Delivery.Status.DELIVERED,
                      1,
                      200,
                      now,
                      now,
                      false),
                  new NewDelivery(
                      down.id(),
                      event,
                      "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                      Delivery.Status.PENDING,
                      1,
                      503,
                      now,
                      now.plusSeconds(5),
                      false)),
              next);
      assertThat(made).isEqualTo(2);
    }
    assertThat(store.cursor(sink)).isEqualTo(next);
    Delivery delivered = store.deliveries(up.id(), 10).get(0);
    assertThat(delivered.status()).isEqualTo(Delivery.Status.DELIVERED);
    assertThat(delivered.attempts()).isEqualTo(1);
    assertThat(delivered.nextAttemptAt()).isNull();
    Delivery pending = store.deliveries(down.id(), 10).get(0);
    assertThat(pending.status()).isEqualTo(Delivery.Status.PENDING);
    assertThat(pending.lastStatusCode()).isEqualTo(503);
    assertThat(pending.nextAttemptAt()).isEqualTo(now.plusSeconds(5));
    // The endpoint owed a retry is left to the deliverer; the other one is tried at once.
    assertThat(mineRoutes(store.routes()))
        .extracting(Route::endpointId, Route::backlog)
        .containsExactlyInAnyOrder(tuple(up.id(), false), tuple(down.id(), true));
    store.delete(up.id());
    store.delete(down.id());
  }

  @Test
  void aHandoverWritesNothingForAnEndpointDeletedMeanwhileAndA410Disables() throws Exception {
    String sink = "webhooks-handover-gone";
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    WebhookEndpoint deleted = endpoint("wh_ho_deleted", List.of(), now);
    WebhookEndpoint gone = endpoint("wh_ho_gone", List.of(), now);
    assertThat(store.create(deleted, "whsec_IIII")).isTrue();
    assertThat(store.create(gone, "whsec_JJJJ")).isTrue();
    FeedEvent event = event("evt_ho_2", "credit.credited", 2);
    try (SinkLock h = lock(sink)) {
      assertThat(store.delete(deleted.id())).isTrue();
      int made =
          store.handOn(
              h,
              sink,
              List.of(
                  new NewDelivery(
                      deleted.id(),
                      event,
                      new byte[] {1},
                      Delivery.Status.PENDING,
                      1,
                      null,
                      now,
                      now,
                      false),
                  new NewDelivery(
                      gone.id(),
                      event,
                      new byte[0],
                      Delivery.Status.FAILED,
                      1,
                      410,
                      now,
                      now,
                      true)),
              new FeedCursor(4, 4, 0));
      assertThat(made).isEqualTo(1);
    }
    assertThat(rows(deleted.id(), "PENDING")).isZero();
    assertThat(store.find(gone.id()).orElseThrow().status())
        .isEqualTo(WebhookEndpoint.Status.DISABLED);
    assertThat(store.deliveries(gone.id(), 10))
        .extracting(Delivery::status)
        .containsExactly(Delivery.Status.FAILED);
    store.delete(gone.id());
  }

  private static SinkLock lock(String sink) throws Exception {
    return SinkLock.tryAcquire(db.jdbcUrl(), db.user(), db.password(), sink).orElseThrow();
  }

  /** The routes of this test class's own endpoints (other tests' may still be there). */
  private static List<Route> mineRoutes(List<Route> routes) {
    return routes.stream().filter(r -> r.endpointId().startsWith("wh_ho_")).toList();
  }

  /** Two credit events, {@code <prefix>_1} and {@code _2}, pending for both endpoints. */
  private static void pendingTwo(
      String sink, String prefix, Instant now, WebhookEndpoint... endpoints) throws Exception {
    List<FeedEvent> page =
        List.of(
            event(prefix + "_1", "credit.credited", 1), event(prefix + "_2", "credit.credited", 2));
    pending(sink, List.of(endpoints), page, now);
  }

  /**
   * Hands on {@code events} as a dispatcher whose first attempts have not been made: a pending
   * delivery, due at {@code now}, of each event to each endpoint.
   */
  private static void pending(
      String sink, List<WebhookEndpoint> endpoints, List<FeedEvent> events, Instant now)
      throws Exception {
    List<NewDelivery> rows = new ArrayList<>();
    for (FeedEvent event : events) {
      for (WebhookEndpoint e : endpoints) {
        rows.add(
            new NewDelivery(
                e.id(),
                event,
                EventJson.bytes(event),
                Delivery.Status.PENDING,
                0,
                null,
                null,
                now,
                false));
      }
    }
    try (SinkLock lock = lock(sink)) {
      assertThat(store.handOn(lock, sink, rows, new FeedCursor(events.size(), events.size(), 0)))
          .isEqualTo(rows.size());
    }
  }

  /** The endpoint's deliveries in {@code status}, counted in the table itself. */
  private static int rows(String endpointId, String status) throws Exception {
    try (var c = db.dataSource().getConnection();
        var s =
            c.prepareStatement(
                "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ? AND status = ?")) {
      s.setString(1, endpointId);
      s.setString(2, status);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static List<Attempt> mine(List<Attempt> leased, WebhookEndpoint e) {
    return leased.stream().filter(a -> a.endpointId().equals(e.id())).toList();
  }

  private static WebhookEndpoint endpoint(String id, List<String> types, Instant at) {
    return new WebhookEndpoint(
        id, "http://127.0.0.1:9/hooks", types, null, WebhookEndpoint.Status.ENABLED, at);
  }

  private static FeedEvent event(String id, String type, long seq) {
    return new FeedEvent(
        id,
        type,
        Instant.parse("2026-12-07T10:00:00Z"),
        "accounts/ann",
        seq,
        new FeedCursor(1, seq, 0),
        Map.of("accountId", "ann"));
  }
}
