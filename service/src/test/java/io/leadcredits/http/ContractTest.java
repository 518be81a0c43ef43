package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.testkit.Contract;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The judge every HTTP test's client runs each answer past ({@code testkit/Contract}) is not a
 * rubber stamp: an undocumented route, status, media type or body is each reported, and what the
 * document allows is not.
 */
class ContractTest {
  private static final Contract contract = Contract.fromClassPath().orElseThrow();
  private static final String JSON = "application/json";
  private static final String PROBLEM = "application/problem+json";

  private static List<String> judge(
      String method, String path, int status, String type, String body) {
    return contract.mismatches(
        new Contract.Exchange(
            method,
            URI.create("http://127.0.0.1:1" + path),
            status,
            type,
            type == null ? Map.of() : Map.of("Content-Type", List.of(type)),
            body));
  }

  private static String problem(int status, String code) {
    return "{\"type\":\"about:blank\",\"title\":\"t\",\"status\":"
        + status
        + ",\"code\":\""
        + code
        + "\",\"detail\":\"d\"}";
  }

  @Test
  void whatTheDocumentAllowsPasses() {
    assertThat(judge("GET", "/health/live", 200, JSON, "{\"status\":\"live\"}")).isEmpty();
    assertThat(judge("GET", "/no/such/path", 404, PROBLEM, problem(404, "NOT_FOUND"))).isEmpty();
    assertThat(judge("PUT", "/api/leads", 405, PROBLEM, problem(405, "METHOD_NOT_ALLOWED")))
        .isEmpty();
    // The HTTP parser's refusal comes before routing: on any path and method.
    assertThat(judge("PUT", "/api/leads", 400, PROBLEM, problem(400, "INVALID_REQUEST"))).isEmpty();
    assertThat(judge("GET", "/no/such/path", 400, PROBLEM, problem(400, "INVALID_REQUEST")))
        .isEmpty();
    assertThat(judge("GET", "/no/such/path", 400, PROBLEM, problem(400, "NOT_FOUND"))).isNotEmpty();
    assertThat(
            judge(
                "GET",
                "/api/accounts/ann",
                401,
                PROBLEM + ";charset=UTF-8",
                problem(401, "UNAUTHENTICATED")))
        .isEmpty();
    assertThat(judge("GET", "/dashboard/app.js", 200, "text/javascript; charset=UTF-8", "x"))
        .isEmpty();
  }

  @Test
  void anUndocumentedRouteFails() {
    assertThat(judge("GET", "/api/new-thing", 200, JSON, "{}"))
        .singleElement()
        .asString()
        .contains("undocumented route");
    assertThat(judge("PATCH", "/api/leads", 200, JSON, "{}"))
        .singleElement()
        .asString()
        .contains("undocumented route");
  }

  @Test
  void anUndocumentedStatusMediaTypeOrBodyFails() {
    assertThat(judge("GET", "/health/live", 418, JSON, "{}")).isNotEmpty();
    assertThat(judge("GET", "/dashboard/app.js", 200, "application/javascript", "x"))
        .singleElement()
        .asString()
        .contains("text/javascript");
    assertThat(judge("GET", "/health/live", 200, JSON, "{\"status\":1}")).isNotEmpty();
    assertThat(judge("GET", "/api/accounts/ann", 401, PROBLEM, problem(401, "NOT_FOUND")))
        .isNotEmpty();
    assertThat(judge("GET", "/api/accounts/ann", 401, JSON, problem(401, "UNAUTHENTICATED")))
        .isNotEmpty();
    assertThat(judge("GET", "/health/live", 200, JSON, "not json")).isNotEmpty();
    // A route the document lacks must be a problem, not any 404.
    assertThat(judge("GET", "/nope", 404, "text/plain", "nope")).isNotEmpty();
  }

  /**
   * What is found wrong is Eclipse Vert.x's OpenAPI validator's finding, not our own: a body field
   * of the wrong type (in a problem too), a status the operation does not document, a media type
   * its response does not list, a header against its schema whatever the case of its name.
   */
  @Test
  void vertxsValidatorFindsPlantedMismatches() {
    assertThat(judge("GET", "/health/live", 200, JSON, "{\"status\":1}"))
        .singleElement()
        .asString()
        .startsWith("GET /health/live 200: The value of the response body is invalid");
    assertThat(
            judge(
                "GET",
                "/api/accounts/ann",
                401,
                PROBLEM,
                "{\"type\":\"about:blank\",\"title\":\"t\",\"status\":\"401\","
                    + "\"code\":\"UNAUTHENTICATED\"}"))
        .singleElement()
        .asString()
        .startsWith("GET /api/accounts/{accountId} 401: The value of the response body is invalid");
    assertThat(judge("GET", "/health/live", 418, JSON, "{}"))
        .singleElement()
        .asString()
        .isEqualTo(
            "GET /health/live 418: No response defined for status code 418 in Operation live");
    assertThat(judge("GET", "/health/live", 200, "text/html", "<p>live</p>"))
        .singleElement()
        .asString()
        .contains("The format of the response body is not supported")
        .contains("documented as [application/json], not text/html");
    String overloaded = problem(503, "OVERLOADED");
    assertThat(
            contract.mismatches(
                new Contract.Exchange(
                    "GET",
                    URI.create("http://127.0.0.1:1/api/accounts/ann"),
                    503,
                    PROBLEM,
                    Map.of("content-type", List.of(PROBLEM), "retry-after", List.of("1")),
                    overloaded)))
        .isEmpty();
    assertThat(
            contract.mismatches(
                new Contract.Exchange(
                    "GET",
                    URI.create("http://127.0.0.1:1/api/accounts/ann"),
                    503,
                    PROBLEM,
                    Map.of("content-type", List.of(PROBLEM), "retry-after", List.of("0")),
                    overloaded)))
        .singleElement()
        .asString()
        .contains("Retry-After");
  }

  @Test
  void aDocumentWithAnOperationWithoutAnIdIsRefusedByName() {
    String document =
        "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"t\",\"version\":\"1\"},"
            + "\"paths\":{\"/a\":{\"get\":{\"responses\":{\"204\":{\"description\":\"d\"}}}}}}";
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Contract.of(document))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[GET /a]");
    assertThat(
            Contract.of(document.replace("{\"responses\"", "{\"operationId\":\"a\",\"responses\""))
                .mismatches(
                    new Contract.Exchange(
                        "GET", URI.create("http://127.0.0.1:1/a"), 204, null, Map.of(), "")))
        .isEmpty();
  }

  @Test
  void onlyABaselineMayAnswerADocumentedRouteAsAbsent() {
    String absent = problem(404, "NOT_FOUND");
    assertThat(judge("GET", "/api/events", 404, PROBLEM, absent)).isNotEmpty();
    assertThat(
            contract
                .allowingAbsentRoutes()
                .mismatches(
                    new Contract.Exchange(
                        "GET",
                        URI.create("http://127.0.0.1:1/api/events"),
                        404,
                        PROBLEM,
                        Map.of(),
                        absent)))
        .isEmpty();
  }

  /**
   * The shared client runs every answer past the judge: a server answering a route the document
   * lacks fails the caller, with the route named, instead of handing the test a reply.
   */
  @Test
  void theSharedClientFailsOnAnAnswerTheDocumentDoesNotAllow() throws Exception {
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "{\"status\":\"live\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", JSON);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      io.leadcredits.testkit.HttpApi api =
          new io.leadcredits.testkit.HttpApi(
              URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
              io.leadcredits.support.JwtTokens.of("contract-test-secret-0123456789abcdef"));
      assertThat(api.send("GET", "/health/live", null, null).status()).isEqualTo(200);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> api.send("GET", "/api/brand-new", null, null))
          .isInstanceOf(Contract.Violation.class)
          .hasMessageContaining("GET /api/brand-new answered 200")
          .hasMessageContaining("undocumented route");
    } finally {
      server.stop(0);
    }
  }

  /** A dot segment is no id: the route judged is the one the path names once they are removed. */
  @Test
  void dotSegmentsAreResolvedBeforeTheRouteIsFound() {
    String absent = problem(404, "NOT_FOUND");
    assertThat(judge("POST", "/api/accounts/../credits", 404, PROBLEM, absent)).isEmpty();
    assertThat(judge("POST", "/api/accounts/%2E%2e/credits", 404, PROBLEM, absent)).isEmpty();
    assertThat(judge("GET", "/api/leads/x/..", 404, PROBLEM, absent)).isEmpty();
    assertThat(judge("GET", "/api//leads", 404, PROBLEM, absent)).isEmpty();
    assertThat(judge("GET", "/api/leads/..x", 200, JSON, "{}"))
        .isNotEmpty()
        .allMatch(
            m ->
                m.startsWith(
                    "GET /api/leads/{leadId} 200: The value of the response body is invalid"));
    assertThat(judge("POST", "/api/accounts/ann/./credits", 404, PROBLEM, absent))
        .singleElement()
        .asString()
        .contains("No response defined for status code 404");
  }

  /**
   * The hook for tests that send with their own client: a raw answer off a socket (fixed length or
   * chunked) and a JDK client's answer are judged as the shared client's are.
   */
  @Test
  void answersOfATestsOwnClientAreJudgedToo() throws Exception {
    URI live = URI.create("http://127.0.0.1:1/health/live");
    String refused = problem(400, "INVALID_REQUEST");
    byte[] fixed =
        ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\n"
                + "Content-Length: "
                + refused.length()
                + "\r\n\r\n"
                + refused)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Contract.checkRaw("GET", live, fixed);
    Contract.Exchange chunked =
        Contract.exchange(
            "GET",
            live,
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json"
                    + "\r\n\r\n5\r\n{\"sta\r\nc;x=y\r\ntus\":\"live\"}\r\n0\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(chunked.body()).isEqualTo("{\"status\":\"live\"}");
    assertThat(contract.mismatches(chunked)).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Contract.checkRaw(
                    "GET",
                    live,
                    "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n\r\nbad"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isInstanceOf(Contract.Violation.class)
        .hasMessageContaining("not text/plain");

    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "{\"status\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", JSON);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      java.net.http.HttpResponse<String> wrong =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + server.getAddress().getPort() + "/health/live"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Contract.checked(wrong))
          .isInstanceOf(Contract.Violation.class)
          .hasMessageContaining("GET /health/live answered 200");
    } finally {
      server.stop(0);
    }
  }
}
