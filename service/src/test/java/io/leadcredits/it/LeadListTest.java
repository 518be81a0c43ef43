package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.auth.Role;
import io.leadcredits.support.Await;
import io.leadcredits.testkit.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /api/leads}: the newest leads, by status, with the count in each status. Only the
 * product lists leads; a baseline answers 404 ({@link BaselineRoutesTest}). Other tests of the
 * class add leads too, so counts are compared before and after.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(names = "ACTORS")
class LeadListTest extends EngineContract {

  private JsonNode list(String query) {
    Reply r = service.send("GET", "/api/leads" + query, service.admin(), null);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    return r.body();
  }

  private static long count(JsonNode list, String status) {
    return list.get("counts").get(status).asLong();
  }

  private static List<String> ids(JsonNode list) {
    return StreamSupport.stream(list.get("items").spliterator(), false)
        .map(item -> item.get("leadId").asText())
        .toList();
  }

  private void claim(String leadId, String tradieId) {
    service.credit(tradieId, 100, "topup-" + tradieId + "-" + leadId);
    Reply r =
        service.send(
            "POST", "/api/leads/" + leadId + "/claim", service.token(tradieId, Role.TRADIE), null);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
  }

  @Test
  void listsTheNewestLeadsFirstWithTheirStatusAndCountsEveryStatus() {
    JsonNode before = list("?limit=100");
    assertThat(service.createLead("ll-open", 10, 2).status()).isEqualTo(201);
    assertThat(service.createLead("ll-full", 10, 1).status()).isEqualTo(201);
    claim("ll-full", "ll-tradie-1");
    assertThat(service.createLead("ll-closed", 10, 2).status()).isEqualTo(201);
    assertThat(service.send("POST", "/api/leads/ll-closed/close", service.admin(), null).status())
        .isEqualTo(200);
    claim("ll-open", "ll-tradie-2");
    // A claim is answered once paid, and its confirmation is written just after. A read of the lead
    // waits for that write; the list reads the journal, so it comes after the leads' own reads.
    service.send("GET", "/api/leads/ll-full", service.admin(), null);
    service.send("GET", "/api/leads/ll-open", service.admin(), null);

    JsonNode after = list("?limit=100");
    assertThat(count(after, "OPEN")).isEqualTo(count(before, "OPEN") + 1);
    assertThat(count(after, "FULL")).isEqualTo(count(before, "FULL") + 1);
    assertThat(count(after, "CLOSED")).isEqualTo(count(before, "CLOSED") + 1);
    List<String> mine = List.of("ll-open", "ll-full", "ll-closed");
    List<String> ours = ids(after).stream().filter(mine::contains).toList();
    assertThat(ours).containsExactly("ll-closed", "ll-full", "ll-open");
    // Each item is the lead as GET /api/leads/{id} shows it, its claims included.
    for (JsonNode item : after.get("items")) {
      String id = item.get("leadId").asText();
      if (ours.contains(id)) {
        JsonNode one = service.send("GET", "/api/leads/" + id, service.admin(), null).body();
        assertThat(item).isEqualTo(one);
      }
    }
    assertThat(ids(list("?status=FULL&limit=100"))).contains("ll-full").doesNotContain("ll-open");
    assertThat(ids(list("?status=open&limit=100"))).contains("ll-open").doesNotContain("ll-full");
    assertThat(ids(list("?status=CLOSED&limit=100")))
        .contains("ll-closed")
        .doesNotContain("ll-open", "ll-full");
  }

  @Test
  void aFullLeadStaysFullWhenClosed() {
    assertThat(service.createLead("ll-full-closed", 5, 1).status()).isEqualTo(201);
    claim("ll-full-closed", "ll-tradie-3");
    service.send("POST", "/api/leads/ll-full-closed/close", service.admin(), null);
    assertThat(ids(list("?status=FULL&limit=100"))).contains("ll-full-closed");
    assertThat(ids(list("?status=CLOSED&limit=100"))).doesNotContain("ll-full-closed");
  }

  @Test
  void aLeadPastItsExpiryIsListedAsClosed() {
    Instant expiresAt = Instant.now().plusSeconds(2);
    Reply created =
        service.send(
            "POST",
            "/api/leads",
            service.admin(),
            "{\"leadId\":\"ll-expiring\",\"creditCost\":5,\"maxClaims\":3,\"expiresAt\":\""
                + expiresAt
                + "\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(ids(list("?status=OPEN&limit=100"))).contains("ll-expiring");
    Await.until(
        Duration.ofSeconds(10),
        "the expired lead listed as closed",
        () -> ids(list("?status=CLOSED&limit=100")).contains("ll-expiring"));
    assertThat(ids(list("?status=OPEN&limit=100"))).doesNotContain("ll-expiring");
  }

  @Test
  void limitBoundsThePageToTheNewest() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = "ll-page-" + i;
      assertThat(service.createLead(id, 5, 1).status()).isEqualTo(201);
      created.add(id);
    }
    assertThat(ids(list("?limit=2"))).containsExactly("ll-page-2", "ll-page-1");
    assertThat(ids(list(""))).hasSizeLessThanOrEqualTo(20).contains(created.get(0));
  }

  @Test
  void onlyAnAdminListsAndBadQueriesChangeNothing() {
    String path = "/api/leads";
    assertThat(service.send("GET", path, null, null).code()).isEqualTo("UNAUTHENTICATED");
    assertThat(service.send("GET", path, service.token("ll-t", Role.TRADIE), null).code())
        .isEqualTo("FORBIDDEN");
    for (String bad : List.of("?status=PENDING", "?limit=0", "?limit=101", "?limit=x")) {
      Reply r = service.send("GET", path + bad, service.admin(), null);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.code()).as(bad).isEqualTo("INVALID_REQUEST");
    }
  }
}
