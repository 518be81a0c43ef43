package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.auth.Role;
import io.leadcredits.support.Await;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service stopped and started on the same data: everything acknowledged is still there. */
class RestartTest {
  @TempDir Path dataDir;

  @Test
  void accountsLeadsAndTrailsAreTheSameAfterARestartAndDueHoldsExpire() {
    List<String> accounts = List.of("ra", "rb", "rc");
    Map<String, JsonNode> before;
    try (RunningService service = new RunningService(dataDir)) {
      for (String a : accounts) {
        assertThat(service.credit(a, 500, "topup-" + a).status()).isEqualTo(200);
      }
      for (int i = 0; i < 120; i++) {
        // Enough changes to cross a snapshot, so recovery uses snapshot + events.
        service.credit("ra", 1, "small-" + i);
      }
      assertThat(service.createLead("rl", 40, 2).status()).isEqualTo(201);
      assertThat(
              service
                  .send("POST", "/api/leads/rl/claim", service.token("rb", Role.TRADIE), null)
                  .status())
          .isEqualTo(200);
      Reply hold =
          service.send(
              "POST",
              "/api/accounts/rc/reservations",
              service.admin(),
              "{\"amount\":100,\"transactionId\":\"h-short\",\"ttlSeconds\":1}");
      assertThat(hold.status()).isEqualTo(201);
      Reply longHold =
          service.send(
              "POST",
              "/api/accounts/rb/reservations",
              service.admin(),
              "{\"amount\":10,\"transactionId\":\"h-long\",\"ttlSeconds\":3600}");
      assertThat(longHold.status()).isEqualTo(201);
      before = snapshot(service, accounts);
    }

    try (RunningService service = new RunningService(dataDir)) {
      Map<String, JsonNode> after = snapshot(service, accounts);
      assertThat(after.get("ra")).isEqualTo(before.get("ra"));
      assertThat(after.get("rb")).isEqualTo(before.get("rb"));
      assertThat(after.get("lead")).isEqualTo(before.get("lead"));
      assertThat(after.get("trail-ra")).isEqualTo(before.get("trail-ra"));
      // The short hold expired while the service was down: it no longer counts against available.
      JsonNode rc = service.account("rc").body();
      assertThat(rc.get("available").asLong()).isEqualTo(500);
      assertThat(rc.get("holds")).isEmpty();
      // And its EXPIRE is recorded by the durable wake-up, without anyone touching the account.
      Await.until(
          Duration.ofSeconds(20),
          "EXPIRE of h-short recorded",
          () -> trailTypes(service, "rc").contains("EXPIRE"));
      assertThat(trailTypes(service, "rc")).containsExactly("CREDIT", "RESERVE", "EXPIRE");
      // Re-sending acknowledged requests changes nothing.
      assertThat(
              service
                  .credit("ra", 500, "topup-ra")
                  .raw()
                  .headers()
                  .firstValue("Idempotent-Replayed"))
          .contains("true");
      assertThat(
              service
                  .send("POST", "/api/leads/rl/claim", service.token("rb", Role.TRADIE), null)
                  .body()
                  .get("balance")
                  .asLong())
          .isEqualTo(460);
      assertThat(service.account("rb").body().get("balance").asLong()).isEqualTo(460);
      assertThat(service.audit().body().get("ok").asBoolean()).isTrue();
    }
  }

  private static Map<String, JsonNode> snapshot(RunningService service, List<String> accounts) {
    Map<String, JsonNode> views = new java.util.HashMap<>();
    for (String a : accounts) {
      views.put(a, service.account(a).body());
    }
    views.put("lead", service.send("GET", "/api/leads/rl", service.admin(), null).body());
    views.put(
        "trail-ra",
        service
            .send("GET", "/api/accounts/ra/transactions?limit=1000", service.admin(), null)
            .body());
    return views;
  }

  private static List<String> trailTypes(RunningService service, String account) {
    List<String> types = new ArrayList<>();
    service
        .send("GET", "/api/accounts/" + account + "/transactions", service.admin(), null)
        .body()
        .get("items")
        .forEach(i -> types.add(i.get("type").asText()));
    return types;
  }
}
