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
import io.leadcredits.testkit.OperationLog.Result;
import io.leadcredits.testkit.Request;
import io.leadcredits.testkit.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault 6 of issue 4 (and fault 2 under load): a TCP proxy between the service and its PostgreSQL
 * starts swallowing everything PostgreSQL answers while clients are writing, so journal writes
 * reach the database and commit but their acknowledgements never come back; then it cuts every
 * connection. A request caught in that answers {@code 503 OUTCOME_UNKNOWN} within the ask timeout,
 * never a success or a definite failure, and readiness goes false. Once the proxy passes traffic
 * again the service recovers by itself, and retrying every unknown with its transaction id
 * converges on the truth: a replay when the write had landed, the change now when it had not. The
 * {@link OperationLog} then checks that each unknown happened entirely or not at all and that
 * nothing acknowledged is lost.
 */
class UnknownOutcomeTest {
  private static final Logger log = LoggerFactory.getLogger(UnknownOutcomeTest.class);

  private static final Duration askTimeout = Duration.ofSeconds(2);

  /** An unknown is answered within the ask timeout, plus room for a busy machine. */
  private static final Duration unknownAnswerMax = askTimeout.plusSeconds(3);

  private static final Duration recoverDeadline = Duration.ofSeconds(60);
  private static final int tradies = 8;
  private static final int workers = 6;
  private static final List<String> leads = List.of("lead-a", "lead-b");
  private static final long leadCost = 5;
  private static final int leadMaxClaims = 3;

  @TempDir Path dataDir;
  @TempDir Path pgDir;

  @Test
  void answersLostOnTheWayBackAreUnknownAndRetriesConvergeOnTheTruth() throws Exception {
    int pgPort = ServiceProcess.freePort();
    int proxyPort = ServiceProcess.freePort();
    AtomicBoolean swallowAnswers = new AtomicBoolean();
    try (EmbeddedPostgres pg = TestPostgres.start(pgDir, pgPort);
        NioReactor reactor = new NioReactor();
        Proxy proxy = new Proxy(reactor, proxyPort, pgPort, swallowAnswers);
        RunningService service =
            new RunningService(
                dataDir,
                EngineKind.ACTORS,
                Map.of(
                    "leadcredits.db.url",
                    "jdbc:postgresql://127.0.0.1:" + proxyPort + "/postgres",
                    "leadcredits.db.user",
                    "postgres",
                    "leadcredits.db.password",
                    "",
                    "leadcredits.ask-timeout",
                    askTimeout.toSeconds() + "s"))) {
      HttpApi api = service.api();
      OperationLog ops = new OperationLog();
      seed(api, ops);

      WriteLoad load = WriteLoad.start(api, ops, workers, tradies, leads, recoverDeadline);
      load.awaitAcknowledged(50);
      swallowAnswers.set(true);
      Await.until(
          recoverDeadline,
          "requests answered 503 OUTCOME_UNKNOWN while answers are swallowed",
          () -> load.answers.containsKey("503 OUTCOME_UNKNOWN"));
      Await.until(recoverDeadline, "readiness false", () -> readiness(api) == 503);

      proxy.cutEveryConnection();
      swallowAnswers.set(false);
      proxy.cutEveryConnection(); // any connection opened while answers were still swallowed
      Await.until(recoverDeadline, "ready again", () -> readiness(api) == 200);
      load.stop();
      log.warn("load answers {}, slowest {} ms", load.answers, load.slowestNanos.get() / 1_000_000);

      assertThat(load.answers.keySet())
          .as("every answer is a success, an expected refusal or a 503 to retry")
          .allMatch(
              a ->
                  a.startsWith("2")
                      || a.equals("402 INSUFFICIENT_CREDITS")
                      || a.equals("409 LEAD_FULL")
                      || a.equals("503 OUTCOME_UNKNOWN")
                      || a.equals("503 OVERLOADED"));
      assertThat(load.slowestNanos.get())
          .as("no request hangs past the ask timeout")
          .isLessThan(unknownAnswerMax.toNanos());

      List<Result> unknownFirst =
          ops.results().stream().filter(r -> r.outcome() == Outcome.UNKNOWN).toList();
      assertThat(ops.resolveUnknown(api, recoverDeadline))
          .as("every unknown outcome resolves by retrying with the same transaction id")
          .isEmpty();
      long landed =
          unknownFirst.stream()
              .map(r -> find(ops, r.operation()))
              .filter(r -> r.outcome() == Outcome.OK && r.replayed())
              .count();
      log.warn("{} unknown outcomes, {} of them had landed", unknownFirst.size(), landed);
      assertThat(landed).as("some writes committed although their answer was lost").isPositive();
      assertThat(api.get("/api/audit").get("ok").asBoolean()).isTrue();
      assertThat(ops.check(ops.read(api), Instant.now())).isEmpty();
    }
  }

  private static Result find(OperationLog ops, Operation op) {
    return ops.results().stream().filter(r -> r.operation().equals(op)).findFirst().orElseThrow();
  }

  private static int readiness(HttpApi api) {
    try {
      return api.send("GET", "/health/ready", null, null).status();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static void seed(HttpApi api, OperationLog ops) throws Exception {
    for (int t = 0; t < tradies; t++) {
      Operation credit = Operation.credit("t" + t, "seed-t" + t, 1_000);
      assertThat(ops.sendUntilDefinite(api, credit, recoverDeadline).outcome())
          .isEqualTo(Outcome.OK);
    }
    for (String lead : leads) {
      assertThat(api.send(Request.createLead(api.admin(), lead, leadCost, leadMaxClaims)).status())
          .isEqualTo(201);
      ops.lead(lead, leadCost, leadMaxClaims);
    }
  }

  /**
   * A NetCrusher TCP proxy in front of PostgreSQL that can swallow what PostgreSQL sends back
   * (NetCrusher's "incoming" direction) and cut every connection.
   */
  private static final class Proxy implements AutoCloseable {
    private final TcpCrusher crusher;

    Proxy(NioReactor reactor, int port, int pgPort, AtomicBoolean swallowAnswers) {
      this.crusher =
          TcpCrusherBuilder.builder()
              .withReactor(reactor)
              .withBindAddress("127.0.0.1", port)
              .withConnectAddress("127.0.0.1", pgPort)
              .withIncomingTransformFilterFactory(
                  client ->
                      (ByteBuffer bytes) -> {
                        if (swallowAnswers.get()) {
                          bytes.position(bytes.limit());
                        }
                      })
              .buildAndOpen();
    }

    void cutEveryConnection() {
      crusher.closeAllPairs();
    }

    @Override
    public void close() {
      crusher.close();
    }
  }
}
