package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.EngineKind;
import io.leadcredits.support.Await;
import io.leadcredits.support.RunningService;
import io.leadcredits.support.RunningService.Reply;
import io.leadcredits.support.Scrape;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal database stops under a running service and comes back: meanwhile requests fail fast
 * with 503 and readiness is false; afterwards the service recovers by itself, without a restart,
 * and nothing acknowledged is lost.
 */
class DatabaseOutageTest {
  @TempDir Path dataDir;
  @TempDir Path pgDir;

  private EmbeddedPostgres startPostgres(int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(pgDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .start();
  }

  @Test
  void requestsFailFastWhileTheDatabaseIsDownAndTheServiceRecoversWhenItReturns()
      throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    EmbeddedPostgres pg = startPostgres(port);
    Map<String, Object> external =
        Map.of(
            "leadcredits.db.url", pg.getJdbcUrl("postgres", "postgres"),
            "leadcredits.db.user", "postgres",
            "leadcredits.db.password", "",
            "leadcredits.ask-timeout", "2s");
    try (RunningService service = new RunningService(dataDir, EngineKind.ACTORS, external)) {
      assertThat(service.credit("o1", 100, "before").status()).isEqualTo(200);

      pg.close();
      long start = System.nanoTime();
      Reply down = service.credit("o1", 5, "during");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.raw().headers().firstValue("Retry-After")).isPresent();
      assertThat(took).isLessThan(Duration.ofSeconds(10));
      Await.until(
          Duration.ofSeconds(20),
          "readiness false while the database is down",
          () -> service.send("GET", "/health/ready", null, null).status() == 503);

      pg = startPostgres(port);
      Await.until(
          Duration.ofSeconds(60),
          "ready again",
          () -> service.send("GET", "/health/ready", null, null).status() == 200);
      Await.until(
          Duration.ofSeconds(60),
          "the retried credit is accepted",
          () -> service.credit("o1", 5, "during").status() == 200);
      assertThat(service.credit("o1", 7, "after").status()).isEqualTo(200);
      assertThat(service.account("o1").body().get("balance").asLong()).isEqualTo(112);
      assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
      // However often "during" was retried, it was written once, and counted once.
      Scrape metrics = Scrape.parse(service.send("GET", "/metrics", null, null).raw().body());
      assertThat(metrics.count("credit_transactions_total", "type", "CREDIT", "status", "success"))
          .isEqualTo(3);
    } finally {
      pg.close();
    }
  }
}
