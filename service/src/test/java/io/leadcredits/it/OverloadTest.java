package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.JwtSecret;
import io.leadcredits.auth.Role;
import io.leadcredits.support.Await;
import io.leadcredits.support.JwtTokens;
import io.leadcredits.testkit.Contract;
import io.leadcredits.testkit.DistinctAnswers;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.OperationLog.Operation;
import io.leadcredits.testkit.OperationLog.Outcome;
import io.leadcredits.testkit.Reply;
import io.leadcredits.testkit.Request;
import io.leadcredits.testkit.ServiceProcess;
import io.leadcredits.testkit.WireClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault 3 of issue 4: a flood of connections far beyond what the node serves at once (six times
 * {@code LEADCREDITS_HTTP_MAX_IN_FLIGHT}, lowered to 100 so that a shared 2-core machine can open
 * the flood quickly), all of them hammering a few hot accounts and one hot lead in closed loop,
 * against a service in a child JVM with a small heap. The excess is answered at once with 503
 * OVERLOADED (its {@code Retry-After} is checked in {@code RoutesTest}); nothing else is a 5xx;
 * {@code /health/live} answers on fresh connections throughout; the JVM does not run out of memory
 * (it exits on the first OutOfMemoryError); once the flood stops, requests are served again and
 * every invariant holds for every answer the flood got. Each distinct answer of the flood is judged
 * by the OpenAPI document once the flood is over, as every answer {@link HttpApi} gets is judged.
 */
class OverloadTest {
  private static final Logger log = LoggerFactory.getLogger(OverloadTest.class);
  private static final ObjectMapper json = new ObjectMapper();

  private static final String JWT_SECRET = "overload-test-secret-0123456789abcdef-xyz";

  /** Requests the service under test serves at once (LEADCREDITS_HTTP_MAX_IN_FLIGHT). */
  private static final int maxInFlight = 100;

  /** Connections of the flood: several times what the service serves at once. */
  private static final int floodConnections = 600;

  private static final Duration floodLength = Duration.ofSeconds(8);

  /** The heap the service must live within under the flood (the documented bound is this). */
  private static final String heapMax = "-Xmx192m";

  /** A liveness probe must be answered within this, on a fresh connection, during the flood. */
  private static final Duration healthAnswerMax = Duration.ofSeconds(2);

  /**
   * Liveness probes the flood lasts for, beyond its {@link #floodLength}: a moment's stall of a
   * shared machine must not leave too few samples to judge liveness by.
   */
  private static final int probesMin = 8;

  /** How long the flood may go on for the probes to be taken. */
  private static final Duration probesDeadline = Duration.ofSeconds(60);

  private static final int hotAccounts = 5;
  private static final int claimers = 40;
  private static final String hotLead = "hot-lead";
  private static final long leadCost = 10;
  private static final int leadMaxClaims = 5;

  private static final Duration setupDeadline = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void aFloodIsShedAtOnceWithinABoundedHeapAndTheServiceRecovers() throws Exception {
    try (ServiceProcess service =
        ServiceProcess.start(
            dir.resolve("data"),
            JwtTokens.of(JWT_SECRET),
            dir.resolve("service.log"),
            Map.of("LEADCREDITS_HTTP_MAX_IN_FLIGHT", String.valueOf(maxInFlight)),
            List.of(heapMax, "-XX:+ExitOnOutOfMemoryError"))) {
      HttpApi api = service.api();
      OperationLog ops = new OperationLog();
      seed(api, ops);

      Contract contract = Contract.fromClassPath().orElseThrow();
      Flood flood = new Flood(api.base().getPort(), ops, DistinctAnswers.of(contract));
      flood.connect();
      HealthProbe probe = HealthProbe.start(api.base().getPort());
      flood.run(floodLength, () -> probe.latencies.size() >= probesMin);
      probe.stop();
      log.warn(
          "flood: first answers {}, then {}, {} distinct kept ({} beyond bounds), refusals max {} ms"
              + " ({} slow), health probes {} max {} ms",
          flood.firstAnswers,
          flood.answers,
          flood.kept.kept().size(),
          flood.kept.beyondBounds(),
          flood.shedLatencyMaxNanos.get() / 1_000_000,
          flood.slowRefusals.sum(),
          probe.latencies.size(),
          probe.latencies.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000);

      assertThat(service.isAlive()).as("the service survived the flood").isTrue();
      assertThat(service.output()).doesNotContain("OutOfMemoryError");
      assertThat(flood.firstAnswers.keySet())
          .as("every 5xx is a 503 the client may retry")
          .allMatch(a -> !a.startsWith("5") || a.equals("503 OVERLOADED"));
      assertThat(flood.answers.keySet())
          .as("on open connections, every request is answered, and only as the flood provokes")
          .allMatch(
              a -> a.equals("200") || a.equals("503 OVERLOADED") || a.equals("409 LEAD_FULL"));
      assertThat(count(flood, "503 OVERLOADED")).as("the excess was shed").isPositive();
      assertThat(count(flood, "200")).as("the node kept serving").isPositive();
      // On a machine shared with other builds the service can stall for a moment: bounds hold for
      // nearly every answer, not necessarily for the slowest one.
      assertThat(flood.slowRefusals.sum())
          .as("refusals come at once: at most 1%% slower than %s", healthAnswerMax)
          .isLessThanOrEqualTo(count(flood, "503 OVERLOADED") / 100);
      assertThat(flood.kept.kept())
          .as("the flood's answers were kept to be judged")
          .extracting(k -> k.exchange().status())
          .contains(200, 503);
      flood.kept.check(contract);
      assertThat(probe.failures).as("liveness answered 200 throughout").isEmpty();
      assertThat(probe.latencies)
          .as("liveness was probed throughout")
          .hasSizeGreaterThanOrEqualTo(probesMin);
      assertThat(probe.latencies.stream().filter(l -> l < healthAnswerMax.toNanos()).count())
          .as("liveness answered within %s (3 probes in 4)", healthAnswerMax)
          .isGreaterThanOrEqualTo(probe.latencies.size() * 3L / 4);

      Await.until(
          setupDeadline,
          "ready again after the flood",
          () -> api.get("/health/live") != null && ready(api));
      assertThat(ops.send(api, Operation.credit("hot0", "after-the-flood", 1)).outcome())
          .isEqualTo(Outcome.OK);
      assertThat(api.get("/api/audit").get("ok").asBoolean()).isTrue();
      assertThat(ops.check(ops.read(api), Instant.now())).isEmpty();
    }
  }

  private static long count(Flood flood, String prefix) {
    return java.util.stream.Stream.concat(
            flood.firstAnswers.entrySet().stream(), flood.answers.entrySet().stream())
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  private static boolean ready(HttpApi api) {
    try {
      return api.send("GET", "/health/ready", null, null).status() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The hot lead, and credits for the tradies who will claim it. */
  private static void seed(HttpApi api, OperationLog ops) throws Exception {
    Reply lead = api.send(Request.createLead(api.admin(), hotLead, leadCost, leadMaxClaims));
    assertThat(lead.status()).isEqualTo(201);
    ops.lead(hotLead, leadCost, leadMaxClaims);
    for (int t = 0; t < claimers; t++) {
      Operation credit = Operation.credit("t" + t, "seed-t" + t, 100);
      assertThat(ops.sendUntilDefinite(api, credit, setupDeadline).outcome()).isEqualTo(Outcome.OK);
    }
  }

  /**
   * Closed-loop clients on raw keep-alive connections: each sends its next request as soon as the
   * last one is answered. The first {@code claimers} connections claim the hot lead first; all
   * credit the hot accounts with fresh transaction ids. Every answer goes to the operation log.
   */
  private static final class Flood {
    /** Answers to each connection's first request, which includes opening the connection. */
    final Map<String, LongAdder> firstAnswers = new ConcurrentHashMap<>();

    /** Answers on connections already open. */
    final Map<String, LongAdder> answers = new ConcurrentHashMap<>();

    private final AtomicInteger connected = new AtomicInteger();
    final AtomicLong shedLatencyMaxNanos = new AtomicLong();

    /** Refusals on open connections that took longer than the health bound. */
    final LongAdder slowRefusals = new LongAdder();

    /** The distinct answers of the flood, judged once it is over. */
    final DistinctAnswers kept;

    private final WireClient client;
    private final OperationLog ops;
    private final String adminToken;
    private final Jwt jwt;
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final long[] sentAt = new long[floodConnections];
    private final int[] sent = new int[floodConnections];

    Flood(int port, OperationLog ops, DistinctAnswers kept) throws IOException {
      this.kept = kept;
      this.client = new WireClient(port, floodConnections, kept);
      this.ops = ops;
      this.jwt = new Jwt(JwtSecret.of(JWT_SECRET), Clock.systemUTC());
      this.adminToken = jwt.issue("ops", Role.ADMIN, Duration.ofHours(1));
    }

    /**
     * Opens every connection with its first request. On a busy machine accepting a thousand
     * connections takes seconds; the measured flood starts once they are all open.
     */
    void connect() {
      for (int c = 0; c < floodConnections; c++) {
        next(c);
      }
      Await.until(
          Duration.ofSeconds(60),
          "every flood connection answered once",
          () -> connected.get() == floodConnections);
    }

    /** Floods for at least {@code length}, and on until {@code enough} holds. */
    void run(Duration length, BooleanSupplier enough) throws IOException, InterruptedException {
      // Not a wait for a condition: the flood lasts this long.
      Thread.sleep(length.toMillis());
      Await.until(probesDeadline, "liveness probed during the flood", enough);
      sending.set(false);
      Await.until(
          Duration.ofSeconds(30), "every flood request answered", () -> inFlight.get() == 0);
      client.close();
    }

    /** Runs on the client's selector thread: must not block. */
    private void next(int c) {
      if (!sending.get()) {
        return;
      }
      int n = sent[c]++;
      Operation op;
      byte[] request;
      if (c < claimers && n == 0) {
        op = Operation.claim(hotLead, "t" + c);
        String token = jwt.issue("t" + c, Role.TRADIE, Duration.ofHours(1));
        request = WireClient.request("POST", "/api/leads/" + hotLead + "/claim", token, null);
      } else {
        op = Operation.credit("hot" + (c % hotAccounts), "f" + c + "-" + n, 1);
        request =
            WireClient.request(
                "POST",
                "/api/accounts/" + op.accountId() + "/credits",
                adminToken,
                "{\"amount\":1,\"transactionId\":\"" + op.transactionId() + "\"}");
      }
      inFlight.incrementAndGet();
      sentAt[c] = System.nanoTime();
      client.send(
          c,
          request,
          (status, body) -> {
            long took = System.nanoTime() - sentAt[c];
            String code = code(body);
            ops.record(op, Math.max(status, 0), code);
            String answer = (status + " " + (code == null ? "" : code)).trim();
            (n == 0 ? firstAnswers : answers)
                .computeIfAbsent(answer, a -> new LongAdder())
                .increment();
            if (n == 0) {
              connected.incrementAndGet();
            }
            if ("OVERLOADED".equals(code) && n > 0) { // the first includes the connect
              shedLatencyMaxNanos.accumulateAndGet(took, Math::max);
              if (took > healthAnswerMax.toNanos()) {
                slowRefusals.increment();
              }
            }
            inFlight.decrementAndGet();
            next(c);
          });
    }

    private static String code(byte[] body) {
      if (body == null || body.length == 0) {
        return null;
      }
      try {
        JsonNode node = json.readTree(body);
        return node.has("code") ? node.get("code").asText() : null;
      } catch (IOException e) {
        return null;
      }
    }
  }

  /**
   * Probes {@code /health/live} as an orchestrator does: a fresh connection each time, closed after
   * the answer. Records how long each took and every probe that did not answer 200.
   */
  private static final class HealthProbe {
    /** Probe period: an orchestrator probes every few seconds; this one probes more often. */
    private static final Duration period = Duration.ofMillis(200);

    final List<Long> latencies = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final int port;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private HealthProbe(int port) {
      this.port = port;
      this.thread = new Thread(this::loop, "health-probe");
    }

    static HealthProbe start(int port) {
      HealthProbe probe = new HealthProbe(port);
      probe.thread.start();
      return probe;
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    private void loop() {
      while (running.get()) {
        long start = System.nanoTime();
        try {
          String statusLine = probeOnce();
          latencies.add(System.nanoTime() - start);
          if (!statusLine.startsWith("HTTP/1.1 200")) {
            failures.add(statusLine);
          }
        } catch (IOException e) {
          latencies.add(System.nanoTime() - start);
          failures.add(e.toString());
        }
        try {
          Thread.sleep(period.toMillis()); // the probe's period, not a synchronization
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private String probeOnce() throws IOException {
      int timeout = (int) (healthAnswerMax.toMillis() * 5);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), timeout);
        socket.setSoTimeout(timeout);
        OutputStream out = socket.getOutputStream();
        out.write(
            "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\r') {
          line.append((char) b);
        }
        return line.toString();
      }
    }
  }
}
