package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.leadcredits.account.AccountReply;
import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.JwtSecret;
import io.leadcredits.auth.Role;
import io.leadcredits.engine.Readiness;
import io.leadcredits.lead.LeadReply;
import io.leadcredits.support.Await;
import io.leadcredits.support.InMemoryEngine;
import io.leadcredits.support.InMemoryEngine.Fault;
import io.leadcredits.testkit.Contract;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routes over real HTTP, in front of an {@link InMemoryEngine}: status codes, headers, bodies.
 */
class RoutesTest {
  /** Small, so a test can fill it. */
  private static final int MAX_IN_FLIGHT = 4;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Jwt JWT =
      new Jwt(JwtSecret.of("routes-test-secret-routes-test-secret"), Clock.systemUTC());
  private static final String ADMIN = "Bearer " + JWT.issue("ops", Role.ADMIN, Duration.ofHours(1));
  private static final String ALICE =
      "Bearer " + JWT.issue("alice", Role.TRADIE, Duration.ofHours(1));

  private static ActorSystem<Void> system;
  private static ServerBinding binding;
  private static final InMemoryEngine engine = new InMemoryEngine();
  private static final HttpClient client = HttpClient.newHttpClient();
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "routes-test",
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
    binding =
        HttpServer.start(system, engine, JWT, "127.0.0.1", 0, MAX_IN_FLIGHT)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  @AfterAll
  static void stop() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void reset() {
    engine.fault(Fault.NONE);
    engine.readiness(Readiness.up());
  }

  private static HttpResponse<String> send(
      String method, String path, String token, String body, String... headers) throws Exception {
    return Contract.checked(sendTo(base, method, path, token, body, headers));
  }

  /** Sends, without judging the answer: the caller judges it. */
  private static HttpResponse<String> sendTo(
      String server, String method, String path, String token, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(10));
    request.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.setHeader(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), BodyHandlers.ofString());
  }

  /**
   * A body the server refuses unread: it answers and closes while the upload may still run, and the
   * client sometimes loses the answer to the reset, so a transport failure is sent again.
   */
  private static HttpResponse<String> sendRefusedBody(String path, String body) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return send("POST", path, ADMIN, body);
      } catch (java.io.IOException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** A step of a test's given, made on the engine directly: it must be accepted. */
  private static void given(CompletionStage<?> step) throws Exception {
    assertThat(step.toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOfAny(AccountReply.Accepted.class, LeadReply.Accepted.class);
  }

  private static JsonNode problem(HttpResponse<String> response, int status, String code)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("code").asText()).isEqualTo(code);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    return body;
  }

  private static JsonNode ok(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    return JSON.readTree(response.body());
  }

  @Test
  void healthNeedsNoToken() throws Exception {
    assertThat(ok(send("GET", "/health/live", null, null), 200).get("status").asText())
        .isEqualTo("live");
    assertThat(ok(send("GET", "/health/ready", null, null), 200).get("status").asText())
        .isEqualTo("ready");
    engine.readiness(Readiness.down("journal unreachable"));
    HttpResponse<String> notReady = send("GET", "/health/ready", null, null);
    assertThat(problem(notReady, 503, "NOT_READY").get("detail").asText())
        .isEqualTo("journal unreachable");
    assertThat(notReady.headers().firstValue("Retry-After")).contains("1");
  }

  @Test
  void aHangingReadinessCheckIsNotReadyWithinSeconds() throws Exception {
    engine.readiness(null);
    long started = System.nanoTime();
    HttpResponse<String> notReady = send("GET", "/health/ready", null, null);
    assertThat(problem(notReady, 503, "NOT_READY").get("detail").asText())
        .contains("did not answer within");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(ok(send("GET", "/health/live", null, null), 200).get("status").asText())
        .isEqualTo("live");
  }

  @Test
  void beyondTheInFlightLimitRequestsAreShedAtOnceButHealthStillAnswers() throws Exception {
    engine.fault(Fault.HANGS);
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < MAX_IN_FLIGHT; i++) {
      held.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return send("GET", "/api/accounts/nobody", ADMIN, null);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    Await.until(
        Duration.ofSeconds(10),
        "every slot taken by a waiting call",
        () -> engine.hanging() == MAX_IN_FLIGHT);

    HttpResponse<String> shed = send("GET", "/api/accounts/nobody", ADMIN, null);
    problem(shed, 503, "OVERLOADED");
    assertThat(shed.headers().firstValue("Retry-After")).contains("1");
    assertThat(engine.hanging())
        .as("the shed call never reached the engine")
        .isEqualTo(MAX_IN_FLIGHT);
    assertThat(send("GET", "/health/live", null, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/health/ready", null, null).statusCode()).isEqualTo(200);

    engine.releaseHanging();
    for (CompletableFuture<HttpResponse<String>> h : held) {
      problem(h.get(10, TimeUnit.SECONDS), 404, "NOT_FOUND"); // no test creates this account
    }
    // Every way a request can end gives its slot back: answered, failed, thrown, not found.
    for (Fault fault : List.of(Fault.THROWS, Fault.FAILED_STAGE, Fault.NONE)) {
      engine.fault(fault);
      for (int i = 0; i < MAX_IN_FLIGHT; i++) {
        send("GET", "/api/accounts/nobody", ADMIN, null);
        send("GET", "/api/nowhere", ADMIN, null);
      }
    }
    problem(send("GET", "/api/accounts/nobody", ADMIN, null), 404, "NOT_FOUND");
  }

  @Test
  void missingForgedOrExpiredTokensAre401WithAChallenge() throws Exception {
    Jwt forger = new Jwt(JwtSecret.of("not-the-secret-not-the-secret-xx"), Clock.systemUTC());
    Jwt past =
        new Jwt(
            JwtSecret.of("routes-test-secret-routes-test-secret"),
            Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)));
    for (String token :
        new String[] {
          null,
          "Bearer x.y.z",
          "Bearer " + forger.issue("ops", Role.ADMIN, Duration.ofHours(1)),
          "Bearer " + past.issue("ops", Role.ADMIN, Duration.ofHours(1)),
          ADMIN.substring("Bearer ".length())
        }) {
      HttpResponse<String> response = send("GET", "/api/accounts/alice", token, null);
      problem(response, 401, "UNAUTHENTICATED");
      assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }
  }

  @Test
  void tradiesMayNotDoAdminWorkNorTouchOtherAccounts() throws Exception {
    problem(
        send(
            "POST", "/api/accounts/alice/credits", ALICE, "{\"amount\":5,\"transactionId\":\"t\"}"),
        403,
        "FORBIDDEN");
    problem(
        send("POST", "/api/accounts/alice/debits", ALICE, "{\"amount\":5,\"transactionId\":\"t\"}"),
        403,
        "FORBIDDEN");
    problem(
        send("POST", "/api/leads", ALICE, "{\"creditCost\":5,\"maxClaims\":1}"), 403, "FORBIDDEN");
    problem(send("POST", "/api/leads/L1/close", ALICE, null), 403, "FORBIDDEN");
    problem(send("GET", "/api/audit", ALICE, null), 403, "FORBIDDEN");
    problem(send("GET", "/api/cluster", ALICE, null), 403, "FORBIDDEN");
    problem(send("GET", "/api/accounts/bob", ALICE, null), 403, "FORBIDDEN");
    problem(send("GET", "/api/accounts/bob/transactions", ALICE, null), 403, "FORBIDDEN");
    problem(
        send(
            "POST",
            "/api/accounts/bob/reservations",
            ALICE,
            "{\"amount\":1,\"transactionId\":\"h\"}"),
        403,
        "FORBIDDEN");
    problem(
        send("POST", "/api/accounts/bob/reservations/h/capture", ALICE, null), 403, "FORBIDDEN");
    problem(send("DELETE", "/api/accounts/bob/reservations/h", ALICE, null), 403, "FORBIDDEN");
  }

  @Test
  void anEngineWithoutAClusterAnswersItsClusterWith404() throws Exception {
    problem(send("GET", "/api/cluster", ADMIN, null), 404, "NOT_FOUND");
  }

  @Test
  void anAdminMayNotClaim() throws Exception {
    problem(send("POST", "/api/leads/L1/claim", ADMIN, null), 403, "FORBIDDEN");
  }

  @Test
  void aTradieClaimsAsTheTokenSubject() throws Exception {
    given(engine.createLead("L1", 5, 3, null));
    given(engine.credit("alice", "seed-for-claims", 20, Map.of()));
    JsonNode claim = ok(send("POST", "/api/leads/L1/claim", ALICE, null), 200);

    assertThat(claim.get("tradieId").asText()).isEqualTo("alice");
    assertThat(engine.lastCall()).isEqualTo(List.of("claim", "L1", "alice"));
    ok(send("POST", "/api/leads/L1/claim", ALICE, "{}"), 200);
    problem(
        send("POST", "/api/leads/L1/claim", ALICE, "{\"tradieId\":\"bob\"}"),
        400,
        "INVALID_REQUEST");
  }

  @Test
  void creditsThenReplaysWithTheSameStatusAndAReplayHeader() throws Exception {
    String body = "{\"amount\":50,\"reason\":\"top-up\"}";
    HttpResponse<String> first =
        send("POST", "/api/accounts/carol/credits", ADMIN, body, "Idempotency-Key", "t-1");
    JsonNode view = ok(first, 200);
    assertThat(view.get("balance").asLong()).isEqualTo(50);
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(engine.lastCall())
        .isEqualTo(List.of("credit", "carol", "t-1", 50L, Map.of("reason", "top-up")));

    HttpResponse<String> again =
        send("POST", "/api/accounts/carol/credits", ADMIN, body, "Idempotency-Key", "t-1");
    assertThat(ok(again, 200).get("balance").asLong()).isEqualTo(50);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");

    problem(
        send(
            "POST",
            "/api/accounts/carol/credits",
            ADMIN,
            "{\"amount\":51}",
            "Idempotency-Key",
            "t-1"),
        409,
        "IDEMPOTENCY_CONFLICT");
    problem(
        send(
            "POST",
            "/api/accounts/carol/debits",
            ADMIN,
            "{\"amount\":500,\"transactionId\":\"t-2\"}"),
        402,
        "INSUFFICIENT_CREDITS");
  }

  @Test
  void readsOwnAndAdministeredAccounts() throws Exception {
    send("POST", "/api/accounts/alice/credits", ADMIN, "{\"amount\":5,\"transactionId\":\"seed\"}");
    assertThat(ok(send("GET", "/api/accounts/alice", ALICE, null), 200).get("accountId").asText())
        .isEqualTo("alice");
    assertThat(ok(send("GET", "/api/credits/balance", ALICE, null), 200).get("accountId").asText())
        .isEqualTo("alice");
    assertThat(ok(send("GET", "/api/accounts/alice", ADMIN, null), 200).get("accountId").asText())
        .isEqualTo("alice");
    problem(send("GET", "/api/accounts/nobody", ADMIN, null), 404, "NOT_FOUND");
  }

  @Test
  void reservationsAnswer201WithTheHoldId() throws Exception {
    given(engine.credit("alice", "seed-for-reservations", 10, Map.of()));
    JsonNode view =
        ok(
            send(
                "POST",
                "/api/accounts/alice/reservations",
                ALICE,
                "{\"amount\":3,\"ttlSeconds\":30}",
                "Idempotency-Key",
                "h-1"),
            201);

    assertThat(view.get("holdId").asText()).isEqualTo("h-1");
    assertThat(engine.lastCall())
        .isEqualTo(
            java.util.Arrays.asList(
                "reserve", "alice", "h-1", 3L, Duration.ofSeconds(30), Map.of()));
    ok(send("DELETE", "/api/accounts/alice/reservations/h-1", ALICE, null), 200);
    problem(
        send("POST", "/api/accounts/alice/reservations/h-1/capture", ALICE, null),
        409,
        "HOLD_NOT_ACTIVE");
    problem(
        send("DELETE", "/api/accounts/alice/reservations/bad%20id", ALICE, null),
        400,
        "INVALID_REQUEST");
  }

  @Test
  void createsLeadsWithAnIdDerivedFromTheIdempotencyKey() throws Exception {
    String body = "{\"creditCost\":5,\"maxClaims\":3}";
    JsonNode first =
        ok(send("POST", "/api/leads", ADMIN, body, "Idempotency-Key", "lead-create-1"), 201);
    JsonNode again =
        ok(send("POST", "/api/leads", ADMIN, body, "Idempotency-Key", "lead-create-1"), 201);

    assertThat(again.get("leadId")).isEqualTo(first.get("leadId"));
    assertThat(first.has("expiresAt")).isFalse();
    problem(send("GET", "/api/leads/L9", ALICE, null), 404, "NOT_FOUND");
    problem(send("POST", "/api/leads/L9/close", ADMIN, null), 404, "NOT_FOUND");
  }

  @Test
  void passesTrailQueriesAndRefusesBadOnes() throws Exception {
    JsonNode page =
        ok(send("GET", "/api/accounts/alice/transactions?after=3&limit=10", ALICE, null), 200);

    assertThat(page.has("items")).isTrue();
    assertThat(engine.lastCall()).isEqualTo(List.of("transactions", "alice", 3L, 10));
    problem(
        send("GET", "/api/accounts/alice/transactions?limit=0", ALICE, null),
        400,
        "INVALID_REQUEST");
    problem(
        send("GET", "/api/accounts/alice/transactions?limit=1001", ALICE, null),
        400,
        "INVALID_REQUEST");
    problem(
        send("GET", "/api/accounts/alice/transactions?after=-1", ALICE, null),
        400,
        "INVALID_REQUEST");
  }

  @Test
  void badBodiesAre400415And413Problems() throws Exception {
    String path = "/api/accounts/dave/credits";
    problem(send("POST", path, ADMIN, "{\"amount\":"), 400, "INVALID_REQUEST");
    problem(
        send("POST", path, ADMIN, "{\"amount\":1.5,\"transactionId\":\"t\"}"),
        400,
        "INVALID_REQUEST");
    problem(
        send("POST", path, ADMIN, "{\"amount\":9223372036854775808,\"transactionId\":\"t\"}"),
        400,
        "INVALID_REQUEST");
    problem(
        send("POST", path, ADMIN, "{\"amount\":1,\"transactionId\":\"t\",\"x\":1}"),
        400,
        "INVALID_REQUEST");
    problem(send("POST", path, ADMIN, null), 400, "INVALID_REQUEST");
    problem(
        send("POST", path, ADMIN, "{\"amount\":1}", "Content-Type", "text/plain"),
        415,
        "UNSUPPORTED_MEDIA_TYPE");
    problem(
        send("POST", path, ADMIN, "{\"amount\":1,\"transactionId\":\"a\"}", "Idempotency-Key", "b"),
        400,
        "INVALID_REQUEST");
    String huge = "{\"reason\":\"" + "x".repeat(70_000) + "\"}";
    problem(sendRefusedBody(path, huge), 413, "PAYLOAD_TOO_LARGE");
    problem(
        send(
            "POST",
            "/api/accounts/bad:id/credits",
            ADMIN,
            "{\"amount\":1,\"transactionId\":\"t\"}"),
        400,
        "INVALID_REQUEST");
    problem(send("GET", "/api/leads/" + "x".repeat(65), ADMIN, null), 400, "INVALID_REQUEST");
    ok(
        send(
            "POST",
            path,
            ADMIN,
            "{\"amount\":1}",
            "Content-Type",
            "application/json; charset=utf-8",
            "Idempotency-Key",
            "cs"),
        200);
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405() throws Exception {
    problem(send("GET", "/nope", null, null), 404, "NOT_FOUND");
    problem(send("GET", "/api/accounts/alice/nope", ADMIN, null), 404, "NOT_FOUND");
    HttpResponse<String> wrongMethod = send("PUT", "/api/leads/L1/claim", ALICE, "{}");
    problem(wrongMethod, 405, "METHOD_NOT_ALLOWED");
    assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
    HttpResponse<String> twoMethods = send("PUT", "/api/leads", ADMIN, "{}");
    assertThat(problem(twoMethods, 405, "METHOD_NOT_ALLOWED").get("detail").asText())
        .isEqualTo("allowed: POST, GET");
    assertThat(twoMethods.headers().firstValue("Allow")).contains("POST, GET");
    problem(send("POST", "/api/leads/", ADMIN, "{}"), 404, "NOT_FOUND");
    problem(send("GET", "/api//leads", ADMIN, null), 404, "NOT_FOUND");
  }

  /**
   * Routes given to the server besides the table are tried after it, with the same error handling:
   * on paths of their own, and on a path of the table with a method it does not have.
   */
  @Test
  void extraRoutesAreTriedAfterTheTable() throws Exception {
    Route extra =
        Directives.concat(
            Directives.path("extra", () -> Directives.get(() -> Directives.complete("extra"))),
            Directives.path(
                PathMatchers.segment("api").slash("leads"),
                () -> Directives.put(() -> Directives.complete("put"))));
    ServerBinding other =
        HttpServer.start(system, engine, JWT, "127.0.0.1", 0, extra)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    try {
      String server = "http://127.0.0.1:" + other.localAddress().getPort();
      // This server has two routes the product does not: judged by the document plus those two.
      Contract contract = documentWithExtraRoutes();
      assertThat(judged(contract, sendTo(server, "GET", "/extra", null, null)).body())
          .isEqualTo("extra");
      assertThat(judged(contract, sendTo(server, "PUT", "/api/leads", ADMIN, null)).body())
          .isEqualTo("put");
      HttpResponse<String> wrongMethod =
          judged(contract, sendTo(server, "POST", "/extra", null, null));
      problem(wrongMethod, 405, "METHOD_NOT_ALLOWED");
      assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET");
      HttpResponse<String> noneOfThree =
          judged(contract, sendTo(server, "PATCH", "/api/leads", ADMIN, null));
      problem(noneOfThree, 405, "METHOD_NOT_ALLOWED");
      assertThat(noneOfThree.headers().firstValue("Allow")).contains("POST, GET, PUT");
      problem(judged(contract, sendTo(server, "GET", "/nope", null, null)), 404, "NOT_FOUND");
      assertThat(judged(contract, sendTo(server, "GET", "/health/live", null, null)).statusCode())
          .isEqualTo(200);
    } finally {
      other.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> judged(Contract contract, HttpResponse<String> response) {
    contract.check(Contract.exchange(response));
    return response;
  }

  /** The service's document plus the routes {@link #extraRoutesAreTriedAfterTheTable} adds. */
  private static Contract documentWithExtraRoutes() throws java.io.IOException {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode document;
    try (java.io.InputStream in =
        RoutesTest.class.getClassLoader().getResourceAsStream(Contract.RESOURCE)) {
      document = mapper.readTree(in);
    }
    ObjectNode text = mapper.createObjectNode();
    text.putObject("200").put("description", "text").putObject("content").putObject("text/plain");
    text.putObject("405").put("$ref", "#/components/responses/P405");
    ObjectNode paths = (ObjectNode) document.get("paths");
    // The validator finds an operation by its id.
    paths.putObject("/extra").putObject("get").put("operationId", "extra").set("responses", text);
    ((ObjectNode) paths.get("/api/leads"))
        .putObject("put")
        .put("operationId", "replaceLeads")
        .set("responses", text.deepCopy());
    return Contract.of(document.toString());
  }

  /**
   * A path parameter is its segment decoded, as one segment: an escaped slash does not split it.
   */
  @Test
  void pathParametersAreDecodedSegments() throws Exception {
    given(engine.createLead("Lx", 5, 3, null));
    assertThat(ok(send("GET", "/api/leads/%4Cx", ADMIN, null), 200).get("leadId").asText())
        .isEqualTo("Lx");
    problem(send("GET", "/api/accounts/a%2Fb", ADMIN, null), 400, "INVALID_REQUEST");
    problem(
        send("DELETE", "/api/accounts/alice/reservations/a%2Fb", ADMIN, null),
        400,
        "INVALID_REQUEST");
  }

  @Test
  void engineFailuresAre503OutcomeUnknownWithRetryAfter() throws Exception {
    for (Fault mode : List.of(Fault.FAILED_STAGE, Fault.THROWS, Fault.UNAVAILABLE)) {
      engine.fault(mode);
      HttpResponse<String> credit =
          send(
              "POST",
              "/api/accounts/erin/credits",
              ADMIN,
              "{\"amount\":1,\"transactionId\":\"t-" + mode + "\"}");
      JsonNode body = problem(credit, 503, "OUTCOME_UNKNOWN");
      assertThat(body.get("detail").asText()).isEqualTo("retry with the same transaction id");
      assertThat(credit.headers().firstValue("Retry-After")).contains("1");
      problem(send("POST", "/api/leads/L1/claim", ALICE, null), 503, "OUTCOME_UNKNOWN");
    }
  }

  @Test
  void requestsThePekkoParserRefusesAreProblemsToo() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", binding.localAddress().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /health/live HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      socket.setSoTimeout(5000);
      InputStream in = socket.getInputStream();
      byte[] answer = in.readAllBytes();
      Contract.checkRaw("GET", URI.create(base + "/health/live"), answer);
      String response = new String(answer, StandardCharsets.US_ASCII);
      assertThat(response)
          .startsWith("HTTP/1.1 400")
          .contains("application/problem+json")
          .contains("INVALID_REQUEST");
    }
  }
}
