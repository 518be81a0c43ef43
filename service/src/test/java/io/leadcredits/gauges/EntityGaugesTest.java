package io.leadcredits.gauges;

import io.leadcredits.account.AccountGate;
import io.leadcredits.account.SnapshotWriter;
import io.leadcredits.lead.Lead;
import io.leadcredits.metrics.Metrics;
import io.leadcredits.support.Await;
import io.leadcredits.support.EntityTestKits;
import io.leadcredits.support.InMemoryWakeupStore;
import io.leadcredits.support.Scrape;
import io.leadcredits.support.TestSettings;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@code entities_active} follows entities as they start and stop (passivate). */
class EntityGaugesTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EntityTestKits.config());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static long active(Metrics metrics, String type) {
    return Scrape.parse(metrics.scrape()).count("entities_active", "entity_type", type);
  }

  @Test
  void anEntityCountsWhileItLives() {
    Metrics metrics = Metrics.prometheus();
    InMemoryWakeupStore wakeups = new InMemoryWakeupStore();
    ActorRef<?> account =
        testKit.spawn(
            AccountGate.create(
                "g-1",
                TestSettings.defaults(),
                Clock.systemUTC(),
                wakeups,
                SnapshotWriter.INLINE,
                metrics));
    ActorRef<?> lead =
        testKit.spawn(
            Lead.create(
                "l-1", TestSettings.defaults(), Clock.systemUTC(), wakeups, id -> null, metrics));
    Await.until(
        Duration.ofSeconds(10),
        "both entities count",
        () -> active(metrics, "account") == 1 && active(metrics, "lead") == 1);
    testKit.stop(account);
    testKit.stop(lead);
    Await.until(
        Duration.ofSeconds(10),
        "stopped entities no longer count",
        () -> active(metrics, "account") == 0 && active(metrics, "lead") == 0);
    metrics.close();
  }
}
