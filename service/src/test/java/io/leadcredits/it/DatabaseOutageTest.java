package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.EngineKind;
import io.leadcredits.support.Await;
import io.leadcredits.support.RunningService;
import io.leadcredits.support.TestPostgres;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.OperationLog.Operation;
import io.leadcredits.testkit.OperationLog.Outcome;
import io.leadcredits.testkit.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 2 of issue 4: the journal database stops under a running service while clients write, and
 * comes back: meanwhile every request is answered within the ask timeout, with a 503 to retry, and
 * readiness is false; afterwards the service recovers by itself, without a restart, every unknown
 * outcome resolves by retrying it, and the operation log finds nothing acknowledged lost or
 * doubled.
 */
class DatabaseOutageTest {
  private static final Duration askTimeout = Duration.ofSeconds(2);
  private static final Duration recoverDeadline = Duration.ofSeconds(60);
  private static final int tradies = 6;
  private static final int workers = 4;

  @TempDir Path dataDir;
  @TempDir Path pgDir;

  @Test
  void requestsFailFastWhileTheDatabaseIsDownAndTheServiceRecoversWhenItReturns() throws Exception {
    int port = ServiceProcess.freePort();
    EmbeddedPostgres pg = TestPostgres.start(pgDir, port);
    Map<String, Object> external =
        Map.of(
            "leadcredits.db.url",
            pg.getJdbcUrl("postgres", "postgres"),
            "leadcredits.db.user",
            "postgres",
            "leadcredits.db.password",
            "",
            "leadcredits.ask-timeout",
            askTimeout.toSeconds() + "s");
    try (RunningService service = new RunningService(dataDir, EngineKind.ACTORS, external)) {
      HttpApi api = service.api();
      OperationLog ops = new OperationLog();
      for (int t = 0; t < tradies; t++) {
        Operation seed = Operation.credit("t" + t, "seed-t" + t, 1_000);
        assertThat(ops.sendUntilDefinite(api, seed, recoverDeadline).outcome())
            .isEqualTo(Outcome.OK);
      }
      WriteLoad load = WriteLoad.start(api, ops, workers, tradies, List.of(), recoverDeadline);
      load.awaitAcknowledged(30);

      pg.close(); // mid-load
      Await.until(
          recoverDeadline,
          "writes answered 503 while the database is down",
          () -> load.answers.keySet().stream().anyMatch(a -> a.startsWith("503")));
      Await.until(
          recoverDeadline,
          "readiness false while the database is down",
          () -> service.send("GET", "/health/ready", null, null).status() == 503);

      pg = TestPostgres.start(pgDir, port);
      Await.until(
          recoverDeadline,
          "ready again",
          () -> service.send("GET", "/health/ready", null, null).status() == 200);
      load.awaitAcknowledged(load.acknowledged() + 30);
      load.stop();

      assertThat(load.answers.keySet())
          .as("while down, only successes, expected refusals and 503s to retry")
          .allMatch(
              a ->
                  a.startsWith("2")
                      || a.equals("402 INSUFFICIENT_CREDITS")
                      || a.equals("503 OUTCOME_UNKNOWN")
                      || a.equals("503 OVERLOADED"));
      assertThat(load.slowestNanos.get())
          .as("no request hangs past the ask timeout")
          .isLessThan(askTimeout.plusSeconds(3).toNanos());
      assertThat(ops.resolveUnknown(api, recoverDeadline))
          .as("every unknown outcome resolves by retrying with the same transaction id")
          .isEmpty();
      assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
      assertThat(ops.check(ops.read(api), Instant.now())).isEmpty();
    } finally {
      pg.close();
    }
  }
}
