package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.kafka.KafkaSink;
import io.leadcredits.support.Await;
import io.leadcredits.support.JwtTokens;
import io.leadcredits.support.KafkaChecks;
import io.leadcredits.support.SinkLoad;
import io.leadcredits.testkit.EventFeedReader;
import io.leadcredits.testkit.KafkaBroker;
import io.leadcredits.testkit.KafkaTopic;
import io.leadcredits.testkit.ServiceProcess;
import io.leadcredits.testkit.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both sinks at once, across crashes: the service, a child JVM, publishes to a real Kafka broker
 * and POSTs to two webhook receivers (one failing every event's first two attempts with 500) while
 * clients credit and debit accounts, and is SIGKILLed in the middle of that three times, each time
 * started again on the same data. Afterwards:
 *
 * <ul>
 *   <li>every acknowledged change is exactly one event in the feed, and no event announces a change
 *       nobody asked for;
 *   <li>every event of the feed reached each receiver at least once with a valid signature (the
 *       receiver's own HMAC), and Kafka at least once, as the feed shows it and in the feed's order
 *       per subject;
 *   <li>the copies sent twice are as few as docs/events.md says: per kill, at most the first
 *       attempts a node had under way for a receiver ({@code parts-in-flight-max × in-flight-max})
 *       and its retries under way ({@code in-flight-max}), and at most one page for Kafka.
 * </ul>
 */
class SinksKillTest {
  private static final String JWT_SECRET = "sinks-kill-test-secret-0123456789abcdefghij";
  private static final int WORKERS = 4;
  private static final int KILLS = 3;
  private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(2);
  private static final int PARTITIONS = 3;

  /** Per round: changes on every account, so the subjects spread over the partitions. */
  private static final int ACKNOWLEDGED_MIN = 40;

  private static final int IN_FLIGHT_MAX = 16;
  private static final int PARTS_IN_FLIGHT_MAX = 4;

  /**
   * A delivery cut off by the kill comes due again when its 30 s lease ends, and the flaky receiver
   * wants three attempts: well within this, on a busy machine too.
   */
  private static final Duration ARRIVAL_TIMEOUT_MAX = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void everyAcknowledgedChangeReachesEverySinkAcrossRepeatedSigkills() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("service.log");
    String topic = "leadcredits.events.kill";
    SinkLoad load = new SinkLoad(WORKERS, true);
    // Fails each event's first two attempts: the retries race the kills.
    IntUnaryOperator flakyAnswer = before -> before < 2 ? 500 : 200;
    try (KafkaBroker broker = broker();
        WebhookReceiver steady = WebhookReceiver.accepting();
        WebhookReceiver flaky =
            new WebhookReceiver(0, (id, before) -> flakyAnswer.applyAsInt(before))) {
      broker.createTopic(topic, PARTITIONS);
      Map<String, String> env =
          Map.of(
              "LEADCREDITS_WEBHOOKS_ALLOW_PRIVATE",
              "true",
              "LEADCREDITS_WEBHOOKS_RETRY_INITIAL",
              "200ms",
              "LEADCREDITS_WEBHOOKS_RETRY_MAX",
              "1s",
              "LEADCREDITS_WEBHOOKS_IN_FLIGHT_MAX",
              Integer.toString(IN_FLIGHT_MAX),
              "LEADCREDITS_WEBHOOKS_PARTS_IN_FLIGHT_MAX",
              Integer.toString(PARTS_IN_FLIGHT_MAX),
              "LEADCREDITS_KAFKA_BOOTSTRAP_SERVERS",
              broker.bootstrapServers(),
              "LEADCREDITS_KAFKA_TOPIC",
              topic);
      Map<WebhookReceiver, String> secrets = new HashMap<>();
      for (int round = 1; round <= KILLS; round++) {
        ServiceProcess service =
            ServiceProcess.start(data, JwtTokens.of(JWT_SECRET), log, env, List.of());
        try {
          if (round == 1) {
            secrets.put(steady, SinkLoad.registerWebhook(service.api(), steady.url()));
            secrets.put(flaky, SinkLoad.registerWebhook(service.api(), flaky.url()));
          }
          load.run(service.api(), "r" + round, LOAD_BEFORE_KILL, ACKNOWLEDGED_MIN);
        } finally {
          assertThat(service.kill()).isEqualTo(ServiceProcess.SIGKILL_EXIT_STATUS);
        }
      }
      assertThat(load.acknowledged()).isNotEmpty();

      try (ServiceProcess again =
              ServiceProcess.start(data, JwtTokens.of(JWT_SECRET), log, env, List.of());
          KafkaTopic records = new KafkaTopic(broker.bootstrapServers(), topic, PARTITIONS, true)) {
        List<JsonNode> feed = EventFeedReader.all(again.api()::get);
        Map<String, String> eventOf = load.eventsByTransaction(feed);
        assertThat(eventOf.keySet()).containsAll(load.acknowledged());
        Set<String> everyEvent = new HashSet<>();
        feed.forEach(e -> everyEvent.add(e.get("id").asText()));
        assertThat(everyEvent).as("ids are unique in the feed").hasSize(feed.size());

        KafkaChecks.awaitArrival(feed, records, ARRIVAL_TIMEOUT_MAX);
        KafkaChecks.assertArrivedAsInFeed(feed, records.all());
        Map<String, Integer> kafkaCopies = new HashMap<>();
        records.all().forEach(r -> kafkaCopies.merge(r.id(), 1, Integer::sum));
        assertThat(records.all().size() - kafkaCopies.size())
            .as("records published again after the kills")
            .isLessThanOrEqualTo(KILLS * KafkaSink.pageEventsMax);

        for (WebhookReceiver receiver : List.of(steady, flaky)) {
          try {
            Await.until(
                ARRIVAL_TIMEOUT_MAX,
                "every event of the feed delivered to " + receiver.url(),
                () ->
                    SinkLoad.validlySigned(receiver, secrets.get(receiver))
                        .containsAll(everyEvent));
          } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the service's log: " + again.logTail(), e);
          }
        }
        assertThat(acceptedAgain(steady, before -> 200))
            .as("deliveries to the steady receiver accepted again after the kills")
            .isLessThanOrEqualTo(KILLS * PARTS_IN_FLIGHT_MAX * IN_FLIGHT_MAX);
        assertThat(acceptedAgain(flaky, flakyAnswer))
            .as("deliveries to the flaky receiver accepted again after the kills")
            .isLessThanOrEqualTo(KILLS * (PARTS_IN_FLIGHT_MAX + 1) * IN_FLIGHT_MAX);
        // Nothing announced anything the feed does not have.
        assertThat(records.ids()).isSubsetOf(everyEvent);
        assertThat(steady.ids()).isSubsetOf(everyEvent);
        assertThat(flaky.ids()).isSubsetOf(everyEvent);
      }
    }
  }

  /** A broker of the test's own; skipped (outside CI) where none can start. */
  private KafkaBroker broker() throws java.io.IOException {
    try {
      return KafkaBroker.start(Files.createDirectories(dir.resolve("broker")));
    } catch (RuntimeException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw e;
      }
      Assumptions.abort("no Kafka broker here: " + e.getMessage());
      throw e;
    }
  }

  /**
   * Requests for an event the receiver answered 2xx beyond the first: copies it took twice. {@code
   * answer} is the receiver's status for the n-th request of an event (from 0).
   */
  private static long acceptedAgain(WebhookReceiver receiver, IntUnaryOperator answer) {
    Map<String, Integer> requests = new HashMap<>();
    receiver.received().forEach(r -> requests.merge(r.id(), 1, Integer::sum));
    long again = 0;
    for (int n : requests.values()) {
      long accepted = 0;
      for (int i = 0; i < n; i++) {
        if (answer.applyAsInt(i) / 100 == 2) {
          accepted++;
        }
      }
      again += Math.max(0, accepted - 1);
    }
    return again;
  }
}
