package io.leadcredits.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leadcredits.client.model.NewWebhook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's retries, against an HTTP server that answers as the service does when it is
 * overloaded or lost an outcome: a live service cannot be made to answer so on cue. Its answers are
 * judged by the service's OpenAPI document, as a live service's are, so the stub stays one.
 */
class RetryTest {
  private static final String overloaded =
      "{\"type\":\"about:blank\",\"title\":\"Overloaded\",\"status\":503,\"code\":\"OVERLOADED\",\"detail\":\"busy\"}";
  private static final String unknown =
      "{\"type\":\"about:blank\",\"title\":\"Outcome unknown\",\"status\":503,\"code\":\"OUTCOME_UNKNOWN\",\"detail\":\"retry\"}";
  private static final String changed =
      "{\"accountId\":\"ann\",\"balance\":5,\"reserved\":0,\"available\":5,\"version\":1,"
          + "\"grantId\":\"pack\"}";

  private HttpServer server;
  private final ConcurrentLinkedQueue<String> keys = new ConcurrentLinkedQueue<>();
  private final AtomicInteger attempts = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(String... bodies) {
    server.createContext(
        "/",
        exchange -> {
          int attempt = attempts.getAndIncrement();
          keys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
          String body = bodies[Math.min(attempt, bodies.length - 1)];
          if (body.equals(overloaded)) {
            // The service's shortest wait (the document: at least one second).
            exchange.getResponseHeaders().add("Retry-After", "1");
          }
          respond(exchange, body.contains("\"status\":503") ? 503 : 200, body);
        });
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private LeadCredits client(RetryPolicy retry) {
    return LeadCredits.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .token("t")
        .retry(retry)
        .answered(LiveService.judged())
        .build();
  }

  @Test
  void aChangeIsRetriedWithTheSameTransactionIdUntilItIsAnswered() {
    answer(overloaded, unknown, changed);
    assertThat(client(RetryPolicy.DEFAULT).accounts().credit("ann", 5, "pack").balance())
        .isEqualTo(5);
    assertThat(attempts.get()).isEqualTo(3);
    assertThat(keys).hasSize(3).doesNotContain("null");
    assertThat(keys.stream().distinct()).hasSize(1);
  }

  @Test
  void twoCallsHaveTwoTransactionIds() {
    answer(changed);
    LeadCredits client = client(RetryPolicy.DEFAULT);
    client.accounts().credit("ann", 5, "pack");
    client.accounts().credit("ann", 5, "pack");
    assertThat(keys.stream().distinct()).hasSize(2);
  }

  @Test
  void theRetriesStopAtTheBudgetAndTheLastProblemIsThrown() {
    answer(overloaded);
    RetryPolicy three =
        new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMillis(1), Duration.ofMillis(5));
    assertThatThrownBy(() -> client(three).accounts().debit("ann", 1, "x"))
        .isInstanceOfSatisfying(
            ProblemException.Unavailable.class,
            e -> {
              assertThat(e.code()).isEqualTo("OVERLOADED");
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
            });
    assertThat(attempts.get()).isEqualTo(3);
  }

  @Test
  void aRetryAfterLongerThanTheBudgetIsNotWaitedFor() {
    server.createContext(
        "/",
        exchange -> {
          attempts.incrementAndGet();
          exchange.getResponseHeaders().add("Retry-After", "60");
          respond(exchange, 503, overloaded);
        });
    assertThatThrownBy(() -> client(RetryPolicy.DEFAULT).accounts().get("ann"))
        .isInstanceOf(ProblemException.Unavailable.class);
    assertThat(attempts.get()).isEqualTo(1);
  }

  @Test
  void aCallTheServiceCannotRecogniseIsNotResentAfterALostAnswer() {
    server.createContext(
        "/",
        exchange -> {
          attempts.incrementAndGet();
          exchange.close(); // the connection drops with no answer: the outcome is unknown
        });
    assertThatThrownBy(
            () ->
                client(RetryPolicy.DEFAULT).webhooks().create(NewWebhook.of("http://x.example/h")))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(attempts.get()).isEqualTo(1);

    attempts.set(0);
    RetryPolicy three =
        new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMillis(1), Duration.ofMillis(5));
    assertThatThrownBy(() -> client(three).accounts().credit("ann", 1, "x"))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(attempts.get()).isEqualTo(3);
  }

  @Test
  void refusalsThatAreNotRetriableAreThrownAtOnce() {
    server.createContext(
        "/",
        exchange -> {
          attempts.incrementAndGet();
          respond(
              exchange,
              402,
              "{\"type\":\"about:blank\",\"title\":\"Insufficient credits\",\"status\":402,\"code\":\"INSUFFICIENT_CREDITS\",\"detail\":\"\"}");
        });
    assertThatThrownBy(() -> client(RetryPolicy.DEFAULT).accounts().debit("ann", 1, "x"))
        .isInstanceOfSatisfying(
            ProblemException.Conflict.class,
            e -> assertThat(e.code()).isEqualTo("INSUFFICIENT_CREDITS"));
    assertThat(attempts.get()).isEqualTo(1);
  }
}
