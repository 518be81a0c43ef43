package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.auth.Role;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Contract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random and malformed requests for every route, written as raw bytes so nothing is cleaned up on
 * the way: wrong types, huge numbers, unicode and control characters in ids, duplicate keys, wrong
 * content types, bad tokens. The service must never answer a 5xx other than 503, must change
 * nothing when it answers 4xx, must answer as its OpenAPI document says, and the invariants must
 * hold afterwards.
 */
class HostileInputTest {
  private static Path dataDir;
  private static RunningService service;
  private static String admin;
  private static String tradie;

  @BeforeContainer
  static void start() throws IOException {
    dataDir = Files.createTempDirectory("leadcredits-hostile");
    service = new RunningService(dataDir);
    admin = service.admin();
    tradie = service.token("h-acc", Role.TRADIE);
    assertThat(service.credit("h-acc", 1_000, "h-seed").status()).isEqualTo(200);
    assertThat(service.createLead("h-lead", 10, 3).status()).isEqualTo(201);
  }

  @AfterContainer
  static void stop() {
    assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
    service.close();
  }

  /** One raw request. */
  record Raw(String method, String path, String token, String contentType, String body) {}

  @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
  void noHostileRequestBreaksTheService(@ForAll("requests") Raw request) throws IOException {
    String before = state();
    int status = send(request);
    Statistics.label("status").collect(status);
    assertThat(status).as("%s", request).isBetween(200, 599);
    assertThat(status >= 500 && status != 503).as("5xx for %s", request).isFalse();
    if (status >= 400) {
      assertThat(state()).as("state changed by a %d to %s", status, request).isEqualTo(before);
    }
  }

  @Provide
  Arbitrary<Raw> requests() {
    Arbitrary<String> method =
        Arbitraries.frequency(
            Tuple.of(6, "POST"), Tuple.of(3, "GET"), Tuple.of(2, "DELETE"), Tuple.of(1, "PUT"));
    Arbitrary<String> id =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.of("h-acc", "h-lead", "nobody", "h1", "clm_x")),
            Tuple.of(
                2,
                Arbitraries.strings().ofMinLength(0).ofMaxLength(80).map(HostileInputTest::encode)),
            Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofLength(65)),
            Tuple.of(
                1,
                Arbitraries.of("%00", "%0d%0a", "..", "%2e%2e", "a%20b", "%E2%98%83", "%ff%fe")));
    // Each route with its own method most of the time, so requests get past routing.
    Arbitrary<String> route =
        Arbitraries.of(
            "POST /api/leads",
            "GET /api/leads/{}",
            "POST /api/leads/{}/claim",
            "POST /api/leads/{}/close",
            "GET /api/credits/balance",
            "GET /api/accounts/{}",
            "POST /api/accounts/{}/credits",
            "POST /api/accounts/{}/debits",
            "POST /api/accounts/{}/reservations",
            "POST /api/accounts/{}/reservations/{}/capture",
            "DELETE /api/accounts/{}/reservations/{}",
            "GET /api/accounts/{}/transactions?after={}&limit={}",
            "GET /api/audit",
            "GET /{}");
    Arbitrary<String[]> methodAndPath =
        Combinators.combine(route, id, method, Arbitraries.integers().between(1, 5))
            .as(
                (r, value, other, dice) -> {
                  String[] parts = r.split(" ", 2);
                  return new String[] {dice == 1 ? other : parts[0], parts[1].replace("{}", value)};
                });
    Arbitrary<String> token =
        Arbitraries.frequency(
            Tuple.of(6, admin),
            Tuple.of(3, tradie),
            Tuple.of(1, null),
            Tuple.of(1, "garbage"),
            Tuple.of(1, admin + "x"),
            Tuple.of(1, "a.b.c"));
    Arbitrary<String> contentType =
        Arbitraries.frequency(
            Tuple.of(8, "application/json"),
            Tuple.of(1, "text/plain"),
            Tuple.of(1, "application/json; charset=utf-16"),
            Tuple.of(1, null),
            Tuple.of(1, "x/y"));
    return Combinators.combine(methodAndPath, token, contentType, bodies())
        .as((mp, t, ct, body) -> new Raw(mp[0], mp[1], t, ct, body));
  }

  private static Arbitrary<String> bodies() {
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.of(
                "0",
                "-1",
                "1.5",
                "1e3",
                "9223372036854775808",
                "1000000000001",
                "true",
                "null",
                "\"10\"",
                "[]",
                "{}",
                "\"\\u0000\"",
                "\"☃\"",
                "99999999999999999999999"),
            Arbitraries.strings().ofMaxLength(20).map(s -> "\"" + escape(s) + "\""));
    Arbitrary<String> field =
        Arbitraries.of(
            "amount",
            "transactionId",
            "reason",
            "ttlSeconds",
            "leadId",
            "creditCost",
            "maxClaims",
            "expiresAt",
            "unknown",
            "");
    Arbitrary<String> object =
        Combinators.combine(field.list().ofMaxSize(5), value.list().ofSize(5))
            .as(
                (names, values) -> {
                  StringBuilder b = new StringBuilder("{");
                  for (int i = 0; i < names.size(); i++) {
                    b.append(i == 0 ? "" : ",")
                        .append('"')
                        .append(names.get(i))
                        .append("\":")
                        .append(values.get(i));
                  }
                  return b.append('}').toString();
                });
    return Arbitraries.frequencyOf(
        Tuple.of(6, object),
        Tuple.of(
            2,
            Arbitraries.of(
                null,
                "",
                "{",
                "[1,2]",
                "{\"amount\":5,\"amount\":6,\"transactionId\":\"dup\"}",
                "{\"amount\":5,\"transactionId\":\"ok-" + System.nanoTime() + "\"}",
                "x".repeat(70_000))),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(200)));
  }

  private static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      b.append('%').append(String.format("%02X", x));
    }
    return b.toString();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** Balance, version and trail length of the seeded account, and the seeded lead. */
  private static String state() {
    return service.account("h-acc").body().toString()
        + service.send("GET", "/api/leads/h-lead", admin, null).body().toString();
  }

  private static int send(Raw r) throws IOException {
    byte[] body = r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder();
    head.append(r.method()).append(' ').append(r.path()).append(" HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1\r\nConnection: close\r\n");
    if (r.token() != null) {
      head.append("Authorization: Bearer ").append(r.token()).append("\r\n");
    }
    if (r.contentType() != null && r.body() != null) {
      head.append("Content-Type: ").append(r.contentType()).append("\r\n");
    }
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    try (Socket socket = new Socket("127.0.0.1", service.engine().httpPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      byte[] answer = readToEnd(socket.getInputStream());
      // The answer, however hostile the request, is one the document describes: a refusal is a
      // problem of a documented status (or the 404/405 of a route the document does not have).
      Contract.Exchange exchange =
          Contract.exchange(
              r.method(),
              URI.create("http://127.0.0.1:" + service.engine().httpPort() + r.path()),
              answer);
      Contract.fromClassPath().orElseThrow().check(exchange);
      return exchange.status();
    }
  }

  /**
   * The answer up to the server's close ({@code Connection: close}); a reset after the answer was
   * read keeps what came, so the check below tells a cut answer from a whole one.
   */
  private static byte[] readToEnd(InputStream in) {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) != -1; ) {
        answer.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // the server may reset a connection whose request it did not read to the end
    }
    return answer.toByteArray();
  }
}
