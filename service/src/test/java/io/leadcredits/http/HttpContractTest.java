package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.JwtSecret;
import io.leadcredits.auth.Role;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Contract;
import io.leadcredits.testkit.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP contract against the real engine (embedded PostgreSQL, real HTTP): the authorization
 * matrix of every endpoint, and bad input of every kind refused with a 400-class problem and no
 * state change.
 */
class HttpContractTest {
  @TempDir static Path dataDir;
  static RunningService service;
  static String admin;
  static String alice;
  static String bob;

  /** An endpoint, a body that would be valid, and who may call it. */
  private record Endpoint(String method, String path, String body, Access access) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private enum Access {
    ANYONE_SIGNED_IN,
    ADMIN,
    ADMIN_OR_OWNER,
    OWN,
    TRADIE
  }

  /**
   * Every /api endpoint that takes a token (all but the API contract), on alice's account and a
   * lead of hers; checked against the route table.
   */
  private static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint("POST", "/api/leads", "{\"creditCost\":5,\"maxClaims\":1}", Access.ADMIN),
          new Endpoint("GET", "/api/leads", null, Access.ADMIN),
          new Endpoint("GET", "/api/leads/c-lead", null, Access.ANYONE_SIGNED_IN),
          new Endpoint("POST", "/api/leads/c-lead/claim", null, Access.TRADIE),
          new Endpoint("POST", "/api/leads/c-lead/close", null, Access.ADMIN),
          new Endpoint("POST", "/api/leads/c-lead/void", "{\"reason\":\"x\"}", Access.ADMIN),
          new Endpoint("GET", "/api/leads/c-lead/quote", null, Access.TRADIE),
          new Endpoint(
              "POST", "/api/claims/clm_x/refund-requests", "{\"reason\":\"FAKE\"}", Access.TRADIE),
          new Endpoint("GET", "/api/refunds", null, Access.ADMIN),
          new Endpoint("POST", "/api/refunds/rfd_x/approve", null, Access.ADMIN),
          new Endpoint("POST", "/api/refunds/rfd_x/reject", null, Access.ADMIN),
          new Endpoint("GET", "/api/pricing", null, Access.ANYONE_SIGNED_IN),
          new Endpoint("PUT", "/api/pricing", "{\"base\":{\"default\":5}}", Access.ADMIN),
          new Endpoint("PUT", "/api/accounts/alice/profile", "{\"tier\":\"gold\"}", Access.ADMIN),
          new Endpoint("GET", "/api/credits/balance", null, Access.OWN),
          new Endpoint("GET", "/api/accounts/alice", null, Access.ADMIN_OR_OWNER),
          new Endpoint(
              "POST",
              "/api/accounts/alice/credits",
              "{\"amount\":1,\"transactionId\":\"m1\"}",
              Access.ADMIN),
          new Endpoint(
              "POST",
              "/api/accounts/alice/grants/g0/void",
              "{\"transactionId\":\"m5\"}",
              Access.ADMIN),
          new Endpoint(
              "POST",
              "/api/accounts/alice/debits",
              "{\"amount\":1,\"transactionId\":\"m2\"}",
              Access.ADMIN),
          new Endpoint(
              "POST",
              "/api/accounts/alice/reservations",
              "{\"amount\":1,\"transactionId\":\"m3\"}",
              Access.ADMIN_OR_OWNER),
          new Endpoint(
              "POST", "/api/accounts/alice/reservations/h0/capture", null, Access.ADMIN_OR_OWNER),
          new Endpoint(
              "DELETE", "/api/accounts/alice/reservations/h0", null, Access.ADMIN_OR_OWNER),
          new Endpoint("GET", "/api/accounts/alice/transactions", null, Access.ADMIN_OR_OWNER),
          new Endpoint("GET", "/api/accounts/alice/claims", null, Access.ADMIN_OR_OWNER),
          new Endpoint("GET", "/api/accounts/alice/statement", null, Access.ADMIN_OR_OWNER),
          new Endpoint("GET", "/api/accounts/alice/alerts", null, Access.ADMIN_OR_OWNER),
          new Endpoint(
              "PUT",
              "/api/accounts/alice/alerts",
              "{\"lowBalanceThreshold\":50}",
              Access.ADMIN_OR_OWNER),
          new Endpoint("GET", "/api/events", null, Access.ADMIN),
          new Endpoint(
              "POST", "/api/webhooks", "{\"url\":\"http://127.0.0.1:9/hooks\"}", Access.ADMIN),
          new Endpoint("GET", "/api/webhooks", null, Access.ADMIN),
          new Endpoint("GET", "/api/webhooks/wh_0", null, Access.ADMIN),
          new Endpoint("DELETE", "/api/webhooks/wh_0", null, Access.ADMIN),
          new Endpoint("POST", "/api/webhooks/wh_0/enable", null, Access.ADMIN),
          new Endpoint("POST", "/api/webhooks/wh_0/rotate-secret", null, Access.ADMIN),
          new Endpoint("GET", "/api/webhooks/wh_0/deliveries", null, Access.ADMIN),
          new Endpoint("GET", "/api/audit", null, Access.ADMIN),
          new Endpoint("GET", "/api/reports/credits", null, Access.ADMIN),
          new Endpoint("GET", "/api/cluster", null, Access.ADMIN));

  @BeforeAll
  static void start() {
    service = new RunningService(dataDir);
    admin = service.admin();
    alice = service.token("alice", Role.TRADIE);
    bob = service.token("bob", Role.TRADIE);
    assertThat(service.credit("alice", 1000, "seed-alice").status()).isEqualTo(200);
    assertThat(service.createLead("c-lead", 5, 10).status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  private static Reply send(Endpoint e, String token) {
    return service.send(e.method(), e.path(), token, e.body());
  }

  private static void assertProblem(
      SoftAssertions soft, Reply reply, int status, String code, String what) {
    soft.assertThat(reply.status())
        .as(what + " status, body " + reply.raw().body())
        .isEqualTo(status);
    soft.assertThat(reply.code()).as(what + " code").isEqualTo(code);
    soft.assertThat(reply.raw().headers().firstValue("Content-Type"))
        .as(what + " content type")
        .contains("application/problem+json");
  }

  @Test
  void clusterShowsThisSingleNodeUpHostingEveryShardInUse() {
    Reply reply = service.send("GET", "/api/cluster", admin, null);

    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    JsonNode members = reply.body().get("members");
    assertThat(members).hasSize(1);
    JsonNode self = members.get(0);
    assertThat(self.get("address").asText()).isEqualTo(reply.body().get("self").asText());
    assertThat(self.get("status").asText()).isEqualTo("Up");
    assertThat(self.get("reachable").asBoolean()).isTrue();
    // The set-up touched alice's account and c-lead: both regions host at least that.
    assertThat(self.get("hosted").get("account").get("entities").asLong()).isPositive();
    assertThat(self.get("hosted").get("lead").get("shards").asInt()).isPositive();
    assertThat(reply.body().get("statsMissing")).isEmpty();
  }

  /**
   * With the shipped setting a webhook may not point into the service's own network: loopback,
   * link-local (cloud metadata), private and unique-local addresses, also by a name that resolves
   * to one, are refused with 400 and nothing is registered.
   */
  @Test
  void webhookUrlsIntoPrivateNetworksAreRefused() {
    for (String url :
        List.of(
            "http://127.0.0.1:8080/hooks",
            "http://localhost/hooks",
            "https://10.1.2.3/hooks",
            "http://172.16.0.1/",
            "http://192.168.1.10/",
            "http://169.254.169.254/latest/meta-data/",
            "http://0.0.0.0/",
            "http://100.64.0.1/",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://2130706433/",
            "http://0x7f.0.0.1/")) {
      Reply reply = service.send("POST", "/api/webhooks", admin, "{\"url\":\"" + url + "\"}");
      assertThat(reply.status()).as(url + ": " + reply.raw().body()).isEqualTo(400);
      assertThat(reply.code()).as(url).isEqualTo("INVALID_REQUEST");
    }
    assertThat(service.send("GET", "/api/webhooks", admin, null).body().get("items")).isEmpty();
  }

  @Test
  void healthNeedsNoToken() {
    assertThat(service.send("GET", "/health/live", null, null).status()).isEqualTo(200);
    Reply ready = service.send("GET", "/health/ready", null, null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body().get("status").asText()).isEqualTo("ready");
  }

  @Test
  void theMatrixCoversEveryEndpointOfTheRouteTableThatTakesAToken() {
    Set<String> covered = new TreeSet<>();
    for (Endpoint e : ENDPOINTS) {
      int template = Endpoints.match(e.path());
      covered.add(e.method() + " " + (template < 0 ? e.path() : Endpoints.TEMPLATES.get(template)));
    }
    Set<String> signed = new TreeSet<>();
    for (Endpoints.Endpoint e : Endpoints.ALL) {
      if (e.template().startsWith("/api/") && !e.template().equals("/api/openapi.json")) {
        signed.add(e.method() + " " + e.template());
      }
    }
    assertThat(covered).isEqualTo(signed);
  }

  @Test
  void everyEndpointRefusesMissingForgedAndExpiredTokens() {
    JwtSecret secret = JwtSecret.load(service.engine().settings());
    String expired =
        new Jwt(secret, Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)))
            .issue("ops", Role.ADMIN, Duration.ofHours(1));
    String forged =
        new Jwt(JwtSecret.of("forged-secret-forged-secret-forged"), Clock.systemUTC())
            .issue("ops", Role.ADMIN, Duration.ofHours(1));
    SoftAssertions soft = new SoftAssertions();
    for (Endpoint e : ENDPOINTS) {
      for (String token : new String[] {null, "", "garbage", forged, expired}) {
        Reply reply = send(e, token);
        assertProblem(soft, reply, 401, "UNAUTHENTICATED", e + " with token " + token);
        soft.assertThat(reply.raw().headers().firstValue("WWW-Authenticate"))
            .as(e.toString())
            .contains("Bearer");
      }
    }
    soft.assertAll();
    assertBalance("alice", 1000);
  }

  @Test
  void tradiesAreForbiddenAdminWorkAndOtherAccountsAndAdminsCannotClaim() {
    SoftAssertions soft = new SoftAssertions();
    for (Endpoint e : ENDPOINTS) {
      switch (e.access()) {
        case ADMIN -> assertProblem(soft, send(e, alice), 403, "FORBIDDEN", e + " as a tradie");
        case ADMIN_OR_OWNER ->
            assertProblem(soft, send(e, bob), 403, "FORBIDDEN", e + " as another tradie");
        case TRADIE -> assertProblem(soft, send(e, admin), 403, "FORBIDDEN", e + " as an admin");
        default -> {}
      }
    }
    soft.assertAll();
    assertBalance("alice", 1000);
    assertThat(service.send("GET", "/api/leads/c-lead", admin, null).body().get("claims"))
        .isEmpty();
  }

  @Test
  void ownersReadTheirOwnAccount() {
    assertThat(service.send("GET", "/api/accounts/alice", alice, null).status()).isEqualTo(200);
    assertThat(
            service
                .send("GET", "/api/credits/balance", alice, null)
                .body()
                .get("accountId")
                .asText())
        .isEqualTo("alice");
    assertThat(service.send("GET", "/api/accounts/alice/transactions", alice, null).status())
        .isEqualTo(200);
  }

  @Test
  void badAmountsAndIdsOnEveryMutationAre400AndChangeNothing() {
    List<String> badAmounts =
        List.of(
            "0",
            "-1",
            "-9223372036854775808",
            "1000000000001",
            "9223372036854775807",
            "9223372036854775808",
            "100000000000000000000000",
            "1.5",
            "10.0",
            "1e2",
            "\"10\"",
            "true",
            "null",
            "[]",
            "{}");
    SoftAssertions soft = new SoftAssertions();
    for (String amount : badAmounts) {
      for (String path : List.of("credits", "debits", "reservations")) {
        Reply reply =
            service.send(
                "POST",
                "/api/accounts/alice/" + path,
                admin,
                "{\"amount\":" + amount + ",\"transactionId\":\"bad-" + path + "\"}");
        assertProblem(soft, reply, 400, "INVALID_REQUEST", path + " amount " + amount);
      }
      Reply lead =
          service.send(
              "POST", "/api/leads", admin, "{\"creditCost\":" + amount + ",\"maxClaims\":1}");
      if (amount.equals("null")) {
        // An optional field given as null is absent: the price list would give the base, and none
        // is in force.
        assertProblem(soft, lead, 409, "NO_PRICE_LIST", "lead creditCost null");
      } else {
        assertProblem(soft, lead, 400, "INVALID_REQUEST", "lead creditCost " + amount);
      }
    }
    for (String txId : List.of("", "has space", "clm_taken", "x".repeat(65), "a/b")) {
      for (String path : List.of("credits", "debits", "reservations")) {
        Reply reply =
            service.send(
                "POST",
                "/api/accounts/alice/" + path,
                admin,
                "{\"amount\":1,\"transactionId\":\"" + txId + "\"}");
        assertProblem(soft, reply, 400, "INVALID_REQUEST", path + " transactionId " + txId);
      }
    }
    soft.assertAll();
    assertBalance("alice", 1000);
    assertTrailLength("alice", 1);
  }

  @Test
  void malformedBodiesUnknownFieldsAndMissingIdsAre400() {
    Map<String, String> bodies =
        Map.of(
            "credits", "{\"amount\":1,\"transactionId\":\"u1\",\"currency\":\"AUD\"}",
            "debits", "{\"amount\":1}",
            "reservations", "{\"amount\":1,\"transactionId\":\"u2\",\"ttlSeconds\":0}");
    SoftAssertions soft = new SoftAssertions();
    for (String path : List.of("credits", "debits", "reservations")) {
      String url = "/api/accounts/alice/" + path;
      for (String body :
          List.of(
              "{\"amount\":1,",
              "not json",
              "[1]",
              "\"x\"",
              "{\"amount\":1,\"amount\":1,\"transactionId\":\"d\"}")) {
        assertProblem(
            soft,
            service.send("POST", url, admin, body),
            400,
            "INVALID_REQUEST",
            path + " body " + body);
      }
      assertProblem(
          soft,
          service.send("POST", url, admin, bodies.get(path)),
          400,
          "INVALID_REQUEST",
          path + " " + bodies.get(path));
      assertProblem(
          soft,
          service.send(
              "POST",
              url,
              admin,
              "{\"amount\":1,\"transactionId\":\"a\"}",
              Map.of("Idempotency-Key", "b")),
          400,
          "INVALID_REQUEST",
          path + " differing ids");
      assertThat(sendText(url, "{\"amount\":1,\"transactionId\":\"ct\"}").statusCode())
          .as(path + " text/plain")
          .isEqualTo(415);
      String huge =
          "{\"amount\":1,\"transactionId\":\"big\",\"reason\":\"" + "x".repeat(100_000) + "\"}";
      assertProblem(
          soft,
          service.sendRefusedBody("POST", url, admin, huge),
          413,
          "PAYLOAD_TOO_LARGE",
          path + " huge");
    }
    for (String body :
        List.of(
            "{\"creditCost\":5,\"maxClaims\":0}",
            "{\"creditCost\":5,\"maxClaims\":1001}",
            "{\"creditCost\":5,\"maxClaims\":1,\"expiresAt\":\"2000-01-01T00:00:00Z\"}",
            "{\"creditCost\":5,\"maxClaims\":1,\"expiresAt\":\"soon\"}",
            "{\"leadId\":\"a b\",\"creditCost\":5,\"maxClaims\":1}",
            "{\"creditCost\":5,\"maxClaims\":1,\"status\":\"OPEN\"}",
            "{\"creditCost\":5}")) {
      assertProblem(
          soft,
          service.send("POST", "/api/leads", admin, body),
          400,
          "INVALID_REQUEST",
          "lead " + body);
    }
    assertProblem(
        soft,
        service.send("POST", "/api/leads/c-lead/claim", alice, "{\"tradieId\":\"bob\"}"),
        400,
        "INVALID_REQUEST",
        "claim with a body");
    soft.assertAll();
    assertBalance("alice", 1000);
    assertTrailLength("alice", 1);
  }

  @Test
  void badPathIdsAndQueriesAre400() {
    String bad = "x".repeat(65);
    SoftAssertions soft = new SoftAssertions();
    for (Reply reply :
        List.of(
            service.send("GET", "/api/leads/" + bad, admin, null),
            service.send("POST", "/api/leads/bad%20id/claim", alice, null),
            service.send("POST", "/api/leads/" + bad + "/close", admin, null),
            service.send("GET", "/api/accounts/" + bad, admin, null),
            service.send(
                "POST",
                "/api/accounts/a%3Ab/credits",
                admin,
                "{\"amount\":1,\"transactionId\":\"p1\"}"),
            service.send(
                "POST", "/api/accounts/alice/reservations/" + bad + "/capture", admin, null),
            service.send("DELETE", "/api/accounts/alice/reservations/" + bad, admin, null),
            service.send("GET", "/api/accounts/alice/transactions?limit=0", admin, null),
            service.send("GET", "/api/accounts/alice/transactions?limit=1001", admin, null),
            service.send("GET", "/api/accounts/alice/transactions?after=x", admin, null))) {
      assertProblem(
          soft,
          reply,
          400,
          "INVALID_REQUEST",
          reply.raw().request().method() + " " + reply.raw().request().uri());
    }
    soft.assertAll();
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() {
    SoftAssertions soft = new SoftAssertions();
    assertProblem(
        soft, service.send("GET", "/api/nothing", admin, null), 404, "NOT_FOUND", "unknown route");
    assertProblem(
        soft,
        service.send("GET", "/api/accounts/nobody-here", admin, null),
        404,
        "NOT_FOUND",
        "unknown account");
    assertProblem(
        soft,
        service.send("GET", "/api/leads/no-such-lead", admin, null),
        404,
        "NOT_FOUND",
        "unknown lead");
    assertProblem(
        soft,
        service.send("PUT", "/api/accounts/alice", admin, "{}"),
        405,
        "METHOD_NOT_ALLOWED",
        "PUT account");
    soft.assertAll();
  }

  @Test
  void successShapesFollowTheContract() {
    assertThat(service.credit("carol", 100, "seed-carol").status()).isEqualTo(200);
    String carol = service.token("carol", Role.TRADIE);
    Reply reserve =
        service.send(
            "POST",
            "/api/accounts/carol/reservations",
            carol,
            "{\"amount\":10,\"ttlSeconds\":60}",
            Map.of("Idempotency-Key", "shape-hold"));
    assertThat(reserve.status()).isEqualTo(201);
    assertThat(reserve.body().get("holdId").asText()).isEqualTo("shape-hold");
    Reply again =
        service.send(
            "POST",
            "/api/accounts/carol/reservations",
            carol,
            "{\"amount\":10,\"ttlSeconds\":60}",
            Map.of("Idempotency-Key", "shape-hold"));
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
    Reply release =
        service.send("DELETE", "/api/accounts/carol/reservations/shape-hold", carol, null);
    assertThat(release.status()).isEqualTo(200);
    JsonNode view = release.body();
    assertThat(view.get("available").asLong())
        .isEqualTo(view.get("balance").asLong() - view.get("reserved").asLong());
  }

  /** A JSON body declared as text/plain (RunningService always declares JSON). */
  private static HttpResponse<String> sendText(String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.engine().httpPort() + path))
            .header("Authorization", "Bearer " + admin)
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response =
          Contract.checked(
              HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()));
      assertThat(response.headers().firstValue("Content-Type"))
          .contains("application/problem+json");
      assertThat(response.body()).contains("UNSUPPORTED_MEDIA_TYPE");
      return response;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void assertBalance(String accountId, long balance) {
    JsonNode view = service.account(accountId).body();
    assertThat(view.get("balance").asLong()).isEqualTo(balance);
  }

  private static void assertTrailLength(String accountId, int length) {
    Reply trail = service.send("GET", "/api/accounts/" + accountId + "/transactions", admin, null);
    assertThat(trail.body().get("items")).hasSize(length);
  }
}
