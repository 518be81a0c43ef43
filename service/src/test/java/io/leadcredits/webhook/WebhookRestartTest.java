package io.leadcredits.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.EngineKind;
import io.leadcredits.support.Await;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Reply;
import io.leadcredits.testkit.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliveries survive a restart: events acknowledged before the service stopped, whether already
 * made into deliveries or not yet read by the dispatcher, all reach the receiver after it starts
 * again on the same data, each delivery recorded once.
 */
class WebhookRestartTest {
  private static final int BEFORE_STOP = 20;
  private static final int RIGHT_BEFORE_STOP = 10;

  @TempDir Path dataDir;

  @Test
  void pendingDeliveriesAndUndispatchedEventsSurviveARestart() {
    AtomicBoolean up = new AtomicBoolean(false);
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    try (WebhookReceiver receiver =
        new WebhookReceiver(
            0,
            (eventId, before) -> {
              if (!up.get()) {
                return 503;
              }
              accepted.add(eventId);
              return 200;
            })) {
      Map<String, Object> settings =
          Map.of(
              "leadcredits.webhooks.allow-private", true,
              "leadcredits.webhooks.retry-initial", "200ms",
              "leadcredits.webhooks.retry-max", "1s");
      RunningService service = new RunningService(dataDir, EngineKind.ACTORS, settings);
      String id;
      try {
        String admin = service.admin();
        Reply made =
            service.send("POST", "/api/webhooks", admin, "{\"url\":\"" + receiver.url() + "\"}");
        assertThat(made.status()).isEqualTo(201);
        id = made.body().get("id").asText();
        for (int i = 0; i < BEFORE_STOP; i++) {
          assertThat(service.credit("wh-rs-" + i, 10, "wh-rs-a" + i).status()).isEqualTo(200);
        }
        Await.until(
            Duration.ofSeconds(20),
            "every credit made into a delivery and tried",
            () -> {
              JsonNode items = deliveries(service, id);
              return items.size() == BEFORE_STOP && items.get(0).get("attempts").asInt() >= 1;
            });
        // Acknowledged, then the service stops without waiting for the dispatcher.
        for (int i = 0; i < RIGHT_BEFORE_STOP; i++) {
          assertThat(service.credit("wh-rs-late", 1, "wh-rs-b" + i).status()).isEqualTo(200);
        }
      } finally {
        service.stop();
      }
      assertThat(accepted).isEmpty();

      up.set(true);
      service.start();
      try {
        int expected = BEFORE_STOP + RIGHT_BEFORE_STOP;
        Await.until(
            Duration.ofSeconds(30),
            "every event accepted after the restart",
            () -> accepted.size() == expected);
        Await.until(
            Duration.ofSeconds(10),
            "every delivery recorded as delivered",
            () -> {
              JsonNode items = deliveries(service, id);
              for (JsonNode d : items) {
                if (!d.get("status").asText().equals("DELIVERED")) {
                  return false;
                }
              }
              return items.size() == expected;
            });
        Set<String> ids = new HashSet<>();
        deliveries(service, id).forEach(d -> ids.add(d.get("eventId").asText()));
        assertThat(ids).hasSize(expected).isEqualTo(accepted);
        Set<String> fromFeed = new HashSet<>();
        Reply feed = service.send("GET", "/api/events?limit=1000", service.admin(), null);
        feed.body().get("items").forEach(e -> fromFeed.add(e.get("id").asText()));
        assertThat(fromFeed).isEqualTo(accepted);
        List<String> everySignature =
            receiver.received().stream().map(WebhookReceiver.Received::signature).toList();
        assertThat(everySignature).allMatch(s -> s.startsWith("v1,"));
      } finally {
        service.stop();
      }
    }
  }

  private static JsonNode deliveries(RunningService service, String id) {
    Reply reply =
        service.send(
            "GET", "/api/webhooks/" + id + "/deliveries?limit=1000", service.admin(), null);
    assertThat(reply.status()).isEqualTo(200);
    return reply.body().get("items");
  }
}
