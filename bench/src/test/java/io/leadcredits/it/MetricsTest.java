package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.EngineKind;
import io.leadcredits.auth.Role;
import io.leadcredits.support.Await;
import io.leadcredits.support.Scrape;
import io.leadcredits.testkit.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A scripted workload over HTTP, then one scrape of {@code /metrics}: every transaction and claim
 * counter equals what the workload did, by type, status and result, and the HTTP timers saw each
 * request. The same script runs against every engine.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(EngineKind.class)
class MetricsTest extends EngineContract {

  /** Whether the engine records a hold's expiry by itself (the baselines do it lazily). */
  boolean recordsExpiries() {
    return engine() == EngineKind.ACTORS;
  }

  private final List<String> problems = new ArrayList<>();

  private Reply expect(int status, Reply reply) {
    if (reply.status() != status) {
      problems.add("expected " + status + " but got " + reply.status() + ": " + reply.body());
    }
    return reply;
  }

  private Reply post(String path, String token, String body) {
    return service.send("POST", path, token, body);
  }

  private Reply claim(String lead, String tradie) {
    return post("/api/leads/" + lead + "/claim", service.token(tradie, Role.TRADIE), null);
  }

  @Test
  void countsEqualWhatTheWorkloadDid() {
    String admin = service.admin();
    // Three top-ups and a retried one (a replay is not a new transaction).
    expect(200, service.credit("m-ann", 100, "m-c1"));
    expect(200, service.credit("m-bob", 20, "m-c2"));
    expect(200, service.credit("m-carl", 50, "m-c3"));
    expect(200, service.credit("m-ann", 100, "m-c1"));
    // A debit, and one beyond the balance.
    expect(
        200,
        post("/api/accounts/m-ann/debits", admin, "{\"amount\":10,\"transactionId\":\"m-d1\"}"));
    expect(
        402,
        post("/api/accounts/m-bob/debits", admin, "{\"amount\":1000,\"transactionId\":\"m-d2\"}"));
    // Reserve and capture, reserve and release, capture of the released hold (refused).
    String holds = "/api/accounts/m-ann/reservations";
    expect(201, post(holds, admin, "{\"amount\":5,\"transactionId\":\"m-r1\"}"));
    expect(200, post(holds + "/m-r1/capture", admin, null));
    expect(201, post(holds, admin, "{\"amount\":5,\"transactionId\":\"m-r2\"}"));
    expect(200, service.send("DELETE", holds + "/m-r2", admin, null));
    expect(409, post(holds + "/m-r2/capture", admin, null));
    // Claims: won, full, duplicate, insufficient credits, closed.
    expect(201, service.createLead("m-l1", 30, 1));
    expect(201, service.createLead("m-l2", 30, 5));
    expect(201, service.createLead("m-l3", 30, 5));
    expect(200, post("/api/leads/m-l3/close", admin, null));
    expect(200, claim("m-l1", "m-ann"));
    expect(409, claim("m-l1", "m-carl"));
    expect(200, claim("m-l1", "m-ann"));
    expect(402, claim("m-l2", "m-bob"));
    expect(409, claim("m-l3", "m-carl"));
    int expiries = 0;
    if (recordsExpiries()) {
      expect(201, post(holds, admin, "{\"amount\":5,\"transactionId\":\"m-r3\",\"ttlSeconds\":1}"));
      Await.until(
          Duration.ofSeconds(15),
          "the hold's expiry is recorded",
          () ->
              service
                  .send("GET", "/api/accounts/m-ann/transactions", admin, null)
                  .body()
                  .toString()
                  .contains("\"EXPIRE\""));
      expiries = 1;
    }
    assertThat(problems).isEmpty();

    Scrape scrape = Scrape.parse(service.send("GET", "/metrics", null, null).raw().body());

    Map<String, Integer> success = new LinkedHashMap<>();
    success.put("CREDIT", 3);
    success.put("DEBIT", 2); // the debit and the won claim's payment
    success.put("RESERVE", 2 + expiries);
    success.put("CAPTURE", 1);
    success.put("RELEASE", 1);
    success.put("EXPIRE", expiries);
    Map<String, Integer> rejected =
        Map.of("CREDIT", 0, "DEBIT", 2, "RESERVE", 0, "CAPTURE", 1, "RELEASE", 0, "EXPIRE", 0);
    for (String type : success.keySet()) {
      assertThat(tx(scrape, type, "success"))
          .as(type + " success")
          .isEqualTo(success.get(type).longValue());
      assertThat(tx(scrape, type, "rejected"))
          .as(type + " rejected")
          .isEqualTo(rejected.get(type).longValue());
      assertThat(tx(scrape, type, "failed")).as(type + " failed").isZero();
    }
    Map<String, Integer> claims =
        Map.of(
            "won", 1,
            "lead_full", 1,
            "lead_closed", 1,
            "insufficient_credits", 1,
            "duplicate", 1,
            "not_found", 0,
            "failed", 0);
    claims.forEach(
        (result, n) ->
            assertThat(scrape.count("lead_claims_total", "result", result))
                .as("claims " + result)
                .isEqualTo(n.longValue()));

    // Every request was timed, by its route template and status, and by transaction type.
    assertThat(
            scrape.count(
                "http_server_requests_seconds_count",
                "method",
                "POST",
                "route",
                "/api/accounts/{accountId}/credits",
                "status",
                "200"))
        .isEqualTo(4);
    assertThat(
            scrape.count(
                "http_server_requests_seconds_count",
                "method",
                "POST",
                "route",
                "/api/leads/{leadId}/claim",
                "status",
                "409"))
        .isEqualTo(2);
    assertThat(scrape.count("credit_processing_duration_seconds_count", "type", "CREDIT"))
        .isEqualTo(4);
    assertThat(scrape.count("credit_processing_duration_seconds_count", "type", "CAPTURE"))
        .isEqualTo(2);
    assertThat(scrape.count("credit_processing_duration_seconds_count", "type", "RELEASE"))
        .isEqualTo(1);
    assertThat(
            scrape.count(
                "credit_processing_duration_seconds_bucket", "type", "DEBIT", "le", "+Inf"))
        .isEqualTo(2);
    if (engine() == EngineKind.ACTORS) {
      entityGauges(scrape);
    }
    assertThat(scrape.all("jvm_memory_used_bytes")).isNotEmpty();
    assertThat(scrape.all("jvm_threads_live_threads")).isNotEmpty();
  }

  /**
   * Three accounts and three leads were started and none passivated; at rest no entity holds a
   * queued command; every journal write was measured with its batch.
   */
  private static void entityGauges(Scrape scrape) {
    assertThat(scrape.count("entities_active", "entity_type", "account")).isEqualTo(3);
    assertThat(scrape.count("entities_active", "entity_type", "lead")).isEqualTo(3);
    for (String type : List.of("account", "lead")) {
      assertThat(scrape.count("actor_queue_size", "entity_type", type)).isZero();
      assertThat(scrape.count("actor_queue_size_max", "entity_type", type)).isZero();
    }
    long writes = scrape.count("journal_write_seconds_count");
    // Requests sent one at a time: each accepted account change is a write of its own.
    assertThat(writes).isGreaterThanOrEqualTo(8);
    assertThat(scrape.count("journal_batch_size_count")).isEqualTo(writes);
    assertThat(scrape.count("journal_write_seconds_bucket", "le", "+Inf")).isEqualTo(writes);
  }

  private static long tx(Scrape scrape, String type, String status) {
    return scrape.count("credit_transactions_total", "type", type, "status", status);
  }
}
