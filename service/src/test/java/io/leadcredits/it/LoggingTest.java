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
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.Reply;
import io.leadcredits.testkit.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} with the production logging at DEBUG, in a child JVM: every line it logs is a JSON
 * object, a line about a transaction or a claim carries its ids as fields, and neither the JWT
 * secret nor any token sent to it (valid or forged) is ever written.
 */
class LoggingTest {
  private static final ObjectMapper json = new ObjectMapper();
  private static final String secret = "logging-test-secret-0123456789-abcdefghij";

  @Test
  void jsonLinesCarryTheIdsAndNeverASecret(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("service.log");
    List<String> tokens = new ArrayList<>();
    try (ServiceProcess service =
        ServiceProcess.start(
            dir.resolve("data"),
            JwtTokens.of(secret),
            log,
            Map.of("LEADCREDITS_LOG_LEVEL", "DEBUG", "LEADCREDITS_LOG_FORMAT", "json"),
            List.of("-Dlogback.configurationFile=logback.xml"))) {
      HttpApi api = service.api();
      // Once ready, serve tells a first-time user where the dashboard is and how to sign in.
      Await.until(
          Duration.ofSeconds(60),
          "serve prints the dashboard's URL and how to get an admin token",
          () -> {
            try {
              String output = Files.readString(log, StandardCharsets.UTF_8);
              return output.contains("Dashboard: http://")
                  && output.contains("./leadcredits token --subject ops --role admin");
            } catch (java.io.IOException e) {
              return false;
            }
          });
      Jwt jwt = new Jwt(JwtSecret.of(secret), Clock.systemUTC());
      tokens.add(jwt.issue("ops", Role.ADMIN, Duration.ofHours(2)));
      tokens.add(jwt.issue("log-ann", Role.TRADIE, Duration.ofHours(2)));
      ok(api.send("POST", "/api/accounts/log-ann/credits", api.admin(), credit()), 200);
      ok(
          api.send(
              "POST",
              "/api/leads",
              api.admin(),
              "{\"leadId\":\"log-lead\",\"creditCost\":30,\"maxClaims\":2}"),
          201);
      ok(api.send("POST", "/api/leads/log-lead/claim", api.tradie("log-ann"), null), 200);
      String forged =
          new Jwt(JwtSecret.of("forged-secret-forged-secret-forged-0000"), Clock.systemUTC())
              .issue("ops", Role.ADMIN, Duration.ofHours(1));
      tokens.add(forged);
      assertThat(rawStatus(api.base(), forged)).isEqualTo(401);
      assertThat(service.stop()).isIn(0, ServiceProcess.SIGTERM_EXIT_STATUS);
    }

    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    List<JsonNode> entries = new ArrayList<>();
    for (String line : lines) {
      assertThat(line).doesNotContain(secret);
      tokens.forEach(t -> assertThat(line).doesNotContain(t));
      if (line.startsWith("{")) {
        entries.add(json.readTree(line));
      }
    }
    // Everything the service logged through logback is JSON (the JVM itself may print a line).
    assertThat(entries.size()).isGreaterThan(lines.size() / 2).isGreaterThan(10);
    assertThat(entries).allSatisfy(e -> assertThat(e.has("@timestamp") && e.has("level")).isTrue());

    assertThat(entries)
        .as("a line about the credit, with its ids")
        .anySatisfy(
            e -> {
              assertThat(e.path("transactionId").asText()).isEqualTo("log-credit-1");
              assertThat(e.path("accountId").asText()).isEqualTo("log-ann");
              assertThat(e.path("message").asText()).contains("CREDIT");
            });
    assertThat(entries)
        .as("the HTTP request of the credit, with the account id of its path")
        .anySatisfy(
            e -> {
              assertThat(e.path("logger_name").asText()).isEqualTo("io.leadcredits.http.Routes");
              assertThat(e.path("accountId").asText()).isEqualTo("log-ann");
              assertThat(e.path("message").asText())
                  .startsWith("POST /api/accounts/{accountId}/credits answered 200 in ");
            });
    assertThat(entries)
        .as("a line about the claim, with its ids")
        .anySatisfy(
            e -> {
              assertThat(e.path("leadId").asText()).isEqualTo("log-lead");
              assertThat(e.path("accountId").asText()).isEqualTo("log-ann");
              assertThat(e.path("claimId").asText()).isNotEmpty();
              assertThat(e.path("message").asText()).contains("claim won");
            });
  }

  private static String credit() {
    return "{\"amount\":100,\"transactionId\":\"log-credit-1\",\"reason\":\"card\"}";
  }

  private static void ok(Reply reply, int status) {
    assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(status);
  }

  private static int rawStatus(URI base, String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/audit"))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    return Contract.checked(
            HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
        .statusCode();
  }
}
