package io.leadcredits.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leadcredits.testkit.Request;
import io.leadcredits.testkit.WireClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The open-loop driver against a local HTTP server whose handler is deliberately slow: latencies
 * run from the time each request was due, so a stall shows in every request due during it, and
 * in-flight requests stay bounded by the connections, the rest counted rather than dropped.
 */
class OpenLoopDriverTest {
  private static final long halfSecondMicros = 500_000;

  static {
    // Otherwise the JDK's server writes an answer's head and body apart and Nagle's algorithm holds
    // the body for the client's delayed acknowledgement: 40 ms an answer, a slow server by itself.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final ExecutorService handlers = Executors.newFixedThreadPool(8);
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
    handlers.shutdownNow();
  }

  @Test
  void aStallInflatesTheLatencyOfTheRequestsDueDuringIt() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    int port =
        serve(
            exchange -> {
              if (seen.incrementAndGet() == 20) {
                pause(1_000); // the stall: one slow answer
              }
              answer(exchange);
            });
    OpenLoopStats stats;
    // One connection, as a closed loop of one client would have: it cannot send during the stall.
    try (WireClient wire = new WireClient(port, 1)) {
      OpenLoopDriver driver = new OpenLoopDriver(wire, new Pings(), 1);
      stats = driver.run(100, Duration.ZERO, Duration.ofMillis(3_000));
      driver.stop();
    }

    assertThat(stats.answered() + stats.unsent()).isEqualTo(300);
    Histogram h = stats.latencies();
    long slow = h.getTotalCount() - h.getCountBetweenValues(0, halfSecondMicros - 1);
    // The stall itself held one request for a second. A closed loop, timing each request from its
    // send, would report that one; about 100 more were due during the stall, half of them over
    // 500 ms before the connection was free to send them.
    assertThat(slow).isGreaterThanOrEqualTo(25);
    assertThat(h.getMaxValue()).isGreaterThanOrEqualTo(1_000_000);
    assertThat(stats.late()).isGreaterThanOrEqualTo(25);
    assertThat(stats.percentiles().max()).isGreaterThanOrEqualTo(1_000);
  }

  @Test
  void inFlightRequestsAreBoundedAndTheOnesNotSentAreCounted() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    int port =
        serve(
            exchange -> {
              mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              pause(2_000); // longer than the whole window: nothing comes back during it
              inFlight.decrementAndGet();
              answer(exchange);
            });
    OpenLoopStats stats;
    try (WireClient wire = new WireClient(port, 4)) {
      OpenLoopDriver driver = new OpenLoopDriver(wire, new Pings(), 4);
      stats = driver.run(100, Duration.ZERO, Duration.ofMillis(500));
      driver.stop();
    }

    assertThat(mostInFlight.get()).isLessThanOrEqualTo(4);
    assertThat(stats.sent()).isLessThanOrEqualTo(4);
    assertThat(stats.sent() + stats.unsent()).isEqualTo(50);
    assertThat(stats.unsent()).isGreaterThanOrEqualTo(46);
    // What was sent was answered after the stall, and is measured as such.
    assertThat(stats.answered()).isEqualTo(stats.sent());
    assertThat(stats.latencies().getMinValue()).isGreaterThanOrEqualTo(2_000_000);
  }

  @Test
  void onlyRequestsDueInTheWindowAreMeasured() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    int port =
        serve(
            exchange -> {
              seen.incrementAndGet();
              answer(exchange);
            });
    OpenLoopStats stats;
    Pings pings = new Pings();
    try (WireClient wire = new WireClient(port, 8)) {
      OpenLoopDriver driver = new OpenLoopDriver(wire, pings, 8);
      stats = driver.run(200, Duration.ofMillis(250), Duration.ofMillis(500));
      driver.stop();
    }

    // 50 requests were due in the settling time before the window and 100 in it. Requests go out in
    // the order they were due, so the first 50 sent are the settling time's: the server saw them,
    // the window did not count them. (How many went out at all depends on the machine's load.)
    assertThat(seen.get()).isEqualTo(pings.handedOut());
    assertThat(stats.sent()).isEqualTo(Math.max(0, pings.handedOut() - 50));
    assertThat(stats.answered()).isEqualTo(stats.sent());
    assertThat(stats.answered() + stats.unsent()).isEqualTo(100);
    assertThat(stats.latencies().getTotalCount()).isEqualTo(stats.answered());
  }

  private int serve(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          handler.handle(exchange);
        });
    server.setExecutor(handlers);
    server.start();
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange) throws IOException {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static void pause(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @FunctionalInterface
  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  /** The same GET every time, always ready. */
  private static final class Pings implements Workload {
    private final Request request = Request.get("/ping", null);
    private final AtomicInteger handedOut = new AtomicInteger();
    private volatile boolean stopped;

    @Override
    public CompletionStage<Op> next(int client) {
      if (stopped) {
        return CompletableFuture.completedFuture(Op.STOP);
      }
      handedOut.incrementAndGet();
      return CompletableFuture.completedFuture(new Op(request, request.wire(), status -> {}));
    }

    int handedOut() {
      return handedOut.get();
    }

    @Override
    public void stop() {
      stopped = true;
    }
  }
}
