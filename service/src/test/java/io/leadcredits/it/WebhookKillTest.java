package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.support.Await;
import io.leadcredits.support.JwtTokens;
import io.leadcredits.support.SinkLoad;
import io.leadcredits.testkit.EventFeedReader;
import io.leadcredits.testkit.ServiceProcess;
import io.leadcredits.testkit.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service, a child JVM, is SIGKILLed while clients credit and debit accounts and two receivers
 * take its webhooks, one failing every event's first attempts with 500. After it starts again on
 * the same data: every acknowledged change is exactly one event in the feed, each receiver has a
 * delivery of it with a valid signature (checked by the receiver's own HMAC), and no event
 * announces a change that was never asked for. {@code SinksKillTest} does the same with Kafka too,
 * over several kills.
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
    SinkLoad load = new SinkLoad(WORKERS, true);
    try (WebhookReceiver steady = WebhookReceiver.accepting();
        WebhookReceiver flaky = new WebhookReceiver(0, (id, before) -> before < 2 ? 500 : 200)) {
      ServiceProcess service =
          ServiceProcess.start(data, JwtTokens.of(JWT_SECRET), log, env, List.of());
      Map<WebhookReceiver, String> secrets = new HashMap<>();
      try {
        secrets.put(steady, SinkLoad.registerWebhook(service.api(), steady.url()));
        secrets.put(flaky, SinkLoad.registerWebhook(service.api(), flaky.url()));
        load.run(service.api(), "whk", LOAD_BEFORE_KILL, 20);
      } finally {
        assertThat(service.kill()).isEqualTo(ServiceProcess.SIGKILL_EXIT_STATUS);
      }
      assertThat(load.acknowledged()).isNotEmpty();

      ServiceProcess again =
          ServiceProcess.start(data, JwtTokens.of(JWT_SECRET), log, env, List.of());
      try {
        Map<String, String> eventOf =
            load.eventsByTransaction(EventFeedReader.all(again.api()::get));
        assertThat(eventOf.keySet()).containsAll(load.acknowledged());
        Set<String> wanted = new HashSet<>();
        load.acknowledged().forEach(tx -> wanted.add(eventOf.get(tx)));
        for (WebhookReceiver receiver : List.of(steady, flaky)) {
          Await.until(
              Duration.ofSeconds(60),
              "every acknowledged change delivered to " + receiver.url(),
              () -> SinkLoad.validlySigned(receiver, secrets.get(receiver)).containsAll(wanted));
        }
      } finally {
        again.stop();
      }
    }
  }
}
