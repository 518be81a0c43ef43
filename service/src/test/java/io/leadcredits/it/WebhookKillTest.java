package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.support.Await;
import io.leadcredits.support.JwtTokens;
import io.leadcredits.support.WebhookReceiver;
import io.leadcredits.support.WebhookReceiver.Received;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.Reply;
import io.leadcredits.testkit.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service, a child JVM, is SIGKILLed while clients credit accounts and two receivers take its
 * webhooks, one failing every event's first attempts with 500. After it starts again on the same
 * data: every acknowledged credit is exactly one event in the feed, each receiver has a delivery of
 * it with a valid signature (checked by the receiver's own HMAC), and no event announces a credit
 * that was never asked for.
 */
class WebhookKillTest {
  private static final String JWT_SECRET = "webhook-kill-test-secret-0123456789abcdef01";
  private static final int WORKERS = 4;
  private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void everyAcknowledgedChangeReachesBothReceiversAcrossASigkill() throws Exception {
    Map<String, String> env =
        Map.of(
            "LEADCREDITS_WEBHOOKS_ALLOW_PRIVATE", "true",
            "LEADCREDITS_WEBHOOKS_RETRY_INITIAL", "200ms",
            "LEADCREDITS_WEBHOOKS_RETRY_MAX", "1s");
    Path data = dir.resolve("data");
    Path log = dir.resolve("service.log");
    try (WebhookReceiver steady = WebhookReceiver.accepting();
        WebhookReceiver flaky = new WebhookReceiver(0, (id, before) -> before < 2 ? 500 : 200)) {
      ServiceProcess service =
          ServiceProcess.start(data, JwtTokens.of(JWT_SECRET), log, env, List.of());
      Map<WebhookReceiver, String> secrets = new HashMap<>();
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      Set<String> sent = ConcurrentHashMap.newKeySet();
      try {
        secrets.put(steady, register(service.api(), steady.url()));
        secrets.put(flaky, register(service.api(), flaky.url()));
        load(service.api(), sent, acknowledged);
      } finally {
        assertThat(service.kill()).isEqualTo(ServiceProcess.SIGKILL_EXIT_STATUS);
      }
      assertThat(acknowledged).isNotEmpty();

      ServiceProcess again =
          ServiceProcess.start(data, JwtTokens.of(JWT_SECRET), log, env, List.of());
      try {
        Map<String, String> eventOf = feedEventsByTransaction(again.api(), sent);
        assertThat(eventOf.keySet()).containsAll(acknowledged);
        for (WebhookReceiver receiver : List.of(steady, flaky)) {
          Await.until(
              Duration.ofSeconds(60),
              "every acknowledged credit delivered to " + receiver.url(),
              () ->
                  validlySigned(receiver, secrets.get(receiver))
                      .containsAll(eventIds(eventOf, acknowledged)));
        }
      } finally {
        again.stop();
      }
    }
  }

  private static String register(HttpApi api, String url) throws Exception {
    Reply made = api.send("POST", "/api/webhooks", api.admin(), "{\"url\":\"" + url + "\"}");
    assertThat(made.status()).isEqualTo(201);
    return made.body().get("secret").asText();
  }

  /** Credits from several clients until the load has run a while; the kill follows at once. */
  private static void load(HttpApi api, Set<String> sent, Set<String> acknowledged)
      throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch started = new CountDownLatch(WORKERS);
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    for (int w = 0; w < WORKERS; w++) {
      int worker = w;
      workers.execute(
          () -> {
            started.countDown();
            for (int i = 0; running.get(); i++) {
              String tx = "whk-" + worker + "-" + i;
              sent.add(tx);
              try {
                Reply r =
                    api.send(
                        "POST",
                        "/api/accounts/whk-" + (i % 5) + "/credits",
                        api.admin(),
                        "{\"amount\":1,\"transactionId\":\"" + tx + "\"}");
                if (r.status() == 200) {
                  acknowledged.add(tx);
                }
              } catch (Exception e) {
                return; // the service is gone
              }
            }
          });
    }
    started.await();
    long end = System.nanoTime() + LOAD_BEFORE_KILL.toNanos();
    Await.until(LOAD_BEFORE_KILL.plusSeconds(5), "the load has run", () -> System.nanoTime() > end);
    running.set(false);
    workers.shutdown();
    // The kill comes while requests are still under way: the workers are not waited for.
    workers.awaitTermination(0, TimeUnit.SECONDS);
  }

  /** Each credit event's transaction id and event id; each must be one the clients sent, once. */
  private static Map<String, String> feedEventsByTransaction(HttpApi api, Set<String> sent) {
    Map<String, String> eventOf = new HashMap<>();
    String after = null;
    while (true) {
      JsonNode page =
          api.get(
              "/api/events?limit=1000&type=credit.credited"
                  + (after == null ? "" : "&after=" + after));
      if (page.get("items").isEmpty()) {
        return eventOf;
      }
      for (JsonNode e : page.get("items")) {
        String tx = e.get("data").get("transactionId").asText();
        assertThat(sent).as("an event of a credit nobody asked for").contains(tx);
        assertThat(eventOf.put(tx, e.get("id").asText())).as("a second event of " + tx).isNull();
      }
      after = page.get("next").asText();
    }
  }

  private static Set<String> eventIds(Map<String, String> eventOf, Set<String> transactions) {
    Set<String> ids = new HashSet<>();
    transactions.forEach(tx -> ids.add(eventOf.get(tx)));
    return ids;
  }

  private static Set<String> validlySigned(WebhookReceiver receiver, String secret) {
    Set<String> ids = new HashSet<>();
    for (Received r : receiver.received()) {
      if (r.signedWith(secret) && r.id().equals(r.event().get("id").asText())) {
        ids.add(r.id());
      }
    }
    return ids;
  }
}
