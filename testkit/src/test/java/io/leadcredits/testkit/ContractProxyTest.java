package io.leadcredits.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy in front of a stub upstream whose answers are planted: it passes requests and answers
 * through unchanged and records exactly the answers the document does not allow.
 */
class ContractProxyTest {
  private static final Contract contract =
      Contract.of(
          """
          {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
           "paths": {"/things/{id}": {
             "get": {"operationId": "getThing", "responses": {"200": {"description": "a thing",
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}},
             "post": {"operationId": "putThing", "responses": {"201": {"description": "stored",
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
               "302": {"description": "elsewhere"}}}}},
           "components": {"schemas": {"Thing": {"type": "object", "required": ["name"],
             "properties": {"name": {"type": "string"}}}}}}
          """);

  /** What the stub upstream saw of the last request. */
  private volatile String seenTarget;

  private volatile String seenMethod;
  private volatile String seenAuthorization;
  private volatile String seenIdempotencyKey;
  private volatile String seenBody;
  private final CountDownLatch fastServed = new CountDownLatch(1);

  private final ExecutorService upstreamThreads = Executors.newCachedThreadPool();
  private HttpServer upstream;
  private ContractProxy proxy;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.setExecutor(upstreamThreads);
    upstream.createContext("/", this::answer);
    upstream.start();
    proxy =
        new ContractProxy(
            URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()), contract);
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.stop(0);
    upstreamThreads.shutdownNow();
  }

  private void answer(HttpExchange e) throws IOException {
    try (e) {
      seenMethod = e.getRequestMethod();
      seenTarget = e.getRequestURI().toString();
      seenAuthorization = e.getRequestHeaders().getFirst("Authorization");
      seenIdempotencyKey = e.getRequestHeaders().getFirst("Idempotency-Key");
      seenBody = new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = e.getRequestURI().getPath();
      if (path.equals("/things/slow")) {
        // Held, as a long poll is, until a later request was served beside it.
        try {
          fastServed.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      if (path.equals("/things/fast")) {
        fastServed.countDown();
      }
      if (path.equals("/things/moved")) {
        e.getResponseHeaders().add("Location", "/things/elsewhere");
        e.sendResponseHeaders(302, -1);
        return;
      }
      // The planted violation: a documented operation answering without the required name.
      String body =
          path.equals("/things/wrong")
              ? "{\"nom\":1}"
              : "{\"name\":\"" + path.substring(path.lastIndexOf('/') + 1) + "\"}";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      e.getResponseHeaders().add("Content-Type", "application/json");
      e.getResponseHeaders().add("X-Upstream", "stub");
      e.sendResponseHeaders(e.getRequestMethod().equals("POST") ? 201 : 200, bytes.length);
      try (OutputStream out = e.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI at(String target) {
    return proxy.uri().resolve(target);
  }

  @Test
  void requestAndAnswerPassUnchangedAndAnAllowedAnswerIsNoViolation() throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(at("/things/a%20b?wait=5&x=%2F"))
                .header("Authorization", "Bearer abc.def")
                .header("Idempotency-Key", "k-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":5}")));

    assertThat(seenMethod).isEqualTo("POST");
    assertThat(seenTarget).isEqualTo("/things/a%20b?wait=5&x=%2F");
    assertThat(seenAuthorization).isEqualTo("Bearer abc.def");
    assertThat(seenIdempotencyKey).isEqualTo("k-1");
    assertThat(seenBody).isEqualTo("{\"amount\":5}");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("X-Upstream")).hasValue("stub");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.body()).isEqualTo("{\"name\":\"a b\"}");
    assertThat(proxy.requests()).isEqualTo(1);
    assertThat(proxy.answers())
        .containsExactly(
            new ContractProxy.Answer("POST", "/things/a%20b?wait=5&x=%2F", 201, List.of()));
    assertThat(proxy.violations()).isEmpty();
  }

  @Test
  void aWrongBodyIsPassedThroughAndRecordedAsAViolation() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(at("/things/wrong")));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"nom\":1}");
    assertThat(proxy.violations()).hasSize(1);
    ContractProxy.Answer violation = proxy.violations().get(0);
    assertThat(violation.method()).isEqualTo("GET");
    assertThat(violation.target()).isEqualTo("/things/wrong");
    assertThat(violation.status()).isEqualTo(200);
    assertThat(String.join(" ", violation.mismatches())).contains("GET /things/{id} 200");
  }

  @Test
  void aRedirectIsReturnedNotFollowed() throws Exception {
    HttpResponse<String> r =
        send(HttpRequest.newBuilder(at("/things/moved")).POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValue("/things/elsewhere");
    assertThat(seenTarget).isEqualTo("/things/moved");
    assertThat(proxy.requests()).isEqualTo(1);
    assertThat(proxy.violations()).isEmpty();
  }

  @Test
  void aHeldRequestDoesNotBlockTheNext() throws Exception {
    CompletableFuture<HttpResponse<String>> slow =
        client.sendAsync(
            HttpRequest.newBuilder(at("/things/slow")).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> fast = send(HttpRequest.newBuilder(at("/things/fast")));

    assertThat(fast.body()).isEqualTo("{\"name\":\"fast\"}");
    assertThat(slow.get(60, TimeUnit.SECONDS).body()).isEqualTo("{\"name\":\"slow\"}");
    assertThat(proxy.answers()).hasSize(2);
    assertThat(proxy.violations()).isEmpty();
  }
}
