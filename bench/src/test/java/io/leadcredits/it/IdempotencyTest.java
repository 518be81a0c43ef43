package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.EngineKind;
import io.leadcredits.auth.Role;
import io.leadcredits.testkit.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Every mutating endpoint, retried one after another and all at once, applies exactly once. */
@ParameterizedClass(name = "{0}")
@EnumSource(EngineKind.class)
class IdempotencyTest extends EngineContract {

  private List<Reply> concurrently(
      int times,
      String method,
      String path,
      String token,
      String body,
      Map<String, String> headers) {
    List<CompletableFuture<Reply>> all = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      all.add(service.sendAsync(method, path, token, body, headers));
    }
    return all.stream().map(CompletableFuture::join).toList();
  }

  private int trailLength(String account) {
    return service
        .send("GET", "/api/accounts/" + account + "/transactions", service.admin(), null)
        .body()
        .get("items")
        .size();
  }

  @Test
  void creditsAndDebitsRetriedConcurrentlyApplyOnce() {
    List<Reply> credits =
        concurrently(
            20,
            "POST",
            "/api/accounts/i1/credits",
            service.admin(),
            "{\"amount\":100,\"transactionId\":\"c-1\"}",
            Map.of());
    assertThat(credits).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    List<Reply> debits =
        concurrently(
            20,
            "POST",
            "/api/accounts/i1/debits",
            service.admin(),
            "{\"amount\":30}",
            Map.of("Idempotency-Key", "d-1"));
    assertThat(debits).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    assertThat(service.account("i1").body().get("balance").asLong()).isEqualTo(70);
    assertThat(trailLength("i1")).isEqualTo(2);
  }

  @Test
  void sameTransactionIdWithAnotherPayloadIsAConflictAndChangesNothing() {
    assertThat(service.credit("i2", 100, "c-2").status()).isEqualTo(200);
    Reply other = service.credit("i2", 101, "c-2");
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.code()).isEqualTo("IDEMPOTENCY_CONFLICT");
    assertThat(other.raw().headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
    assertThat(service.account("i2").body().get("balance").asLong()).isEqualTo(100);
  }

  @Test
  void reservationCaptureAndReleaseRetriedConcurrentlyApplyOnce() {
    service.credit("i3", 100, "c-3");
    String body = "{\"amount\":40,\"transactionId\":\"h-3\"}";
    assertThat(
            concurrently(
                10, "POST", "/api/accounts/i3/reservations", service.admin(), body, Map.of()))
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
    assertThat(
            concurrently(
                10,
                "POST",
                "/api/accounts/i3/reservations/h-3/capture",
                service.admin(),
                null,
                Map.of()))
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    assertThat(service.account("i3").body().get("balance").asLong()).isEqualTo(60);

    service.send(
        "POST",
        "/api/accounts/i3/reservations",
        service.admin(),
        "{\"amount\":10,\"transactionId\":\"h-4\"}");
    assertThat(
            concurrently(
                10, "DELETE", "/api/accounts/i3/reservations/h-4", service.admin(), null, Map.of()))
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    assertThat(service.account("i3").body().get("available").asLong()).isEqualTo(60);
    assertThat(trailLength("i3")).isEqualTo(5);
  }

  @Test
  void claimRetriedConcurrentlyByTheSameTradieChargesOnce() {
    service.credit("i4", 100, "c-4");
    service.createLead("il-4", 30, 3);
    List<Reply> claims =
        concurrently(
            15, "POST", "/api/leads/il-4/claim", service.token("i4", Role.TRADIE), null, Map.of());
    assertThat(claims)
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.body().get("balance").asLong()).isEqualTo(70);
            });
    assertThat(service.account("i4").body().get("balance").asLong()).isEqualTo(70);
    assertThat(service.send("GET", "/api/leads/il-4", service.admin(), null).body().get("claims"))
        .hasSize(1);
  }

  @Test
  void leadCreateRetriedIsTheSameLead() {
    String body = "{\"creditCost\":5,\"maxClaims\":2}";
    List<Reply> creates =
        concurrently(
            5,
            "POST",
            "/api/leads",
            service.admin(),
            body,
            Map.of("Idempotency-Key", "lead-create-5"));
    assertThat(creates).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
    assertThat(creates.stream().map(r -> r.body().get("leadId").asText()).distinct()).hasSize(1);
    assertThat(
            creates.stream()
                .filter(r -> r.raw().headers().firstValue("Idempotent-Replayed").isEmpty()))
        .hasSize(1);
  }
}
