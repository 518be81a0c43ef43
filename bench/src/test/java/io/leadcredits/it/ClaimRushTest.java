package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.EngineKind;
import io.leadcredits.auth.Role;
import io.leadcredits.testkit.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Hundreds of tradies rush one lead over real HTTP, on the real embedded PostgreSQL. */
@ParameterizedClass(name = "{0}")
@EnumSource(EngineKind.class)
class ClaimRushTest extends EngineContract {

  @Test
  void twoHundredTradiesRushALeadWithThreeSlots() {
    int tradies = 200;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < tradies; i++) {
      String id = "rush-tradie-" + i;
      ids.add(id);
      // Every fifth tradie cannot afford the lead: their claims must be refused without effect.
      assertThat(service.credit(id, i % 5 == 0 ? 5 : 100, "topup-" + id).status()).isEqualTo(200);
    }
    assertThat(service.createLead("rush-lead", 25, 3).status()).isEqualTo(201);

    List<CompletableFuture<Reply>> claims = new ArrayList<>();
    for (String id : ids) {
      claims.add(
          service.sendAsync(
              "POST",
              "/api/leads/rush-lead/claim",
              service.token(id, Role.TRADIE),
              null,
              Map.of()));
    }
    List<Reply> replies = claims.stream().map(CompletableFuture::join).toList();

    Map<Integer, Long> byStatus =
        replies.stream().collect(Collectors.groupingBy(Reply::status, Collectors.counting()));
    assertThat(byStatus.get(200)).isEqualTo(3);
    assertThat(byStatus.keySet()).isSubsetOf(200, 402, 409);
    List<String> winners =
        replies.stream()
            .filter(r -> r.status() == 200)
            .map(r -> r.body().get("tradieId").asText())
            .toList();
    for (Reply r : replies) {
      if (r.status() == 200) {
        assertThat(r.body().get("creditsUsed").asLong()).isEqualTo(25);
        assertThat(r.body().get("balance").asLong()).isEqualTo(75);
      } else {
        assertThat(r.code()).isIn("LEAD_FULL", "INSUFFICIENT_CREDITS");
      }
    }

    Reply lead = service.send("GET", "/api/leads/rush-lead", service.admin(), null);
    assertThat(lead.body().get("status").asText()).isEqualTo("FULL");
    assertThat(lead.body().get("claims")).hasSize(3);
    for (int i = 0; i < tradies; i++) {
      long expected = winners.contains(ids.get(i)) ? 75 : (i % 5 == 0 ? 5 : 100);
      assertThat(service.account(ids.get(i)).body().get("balance").asLong())
          .as(ids.get(i))
          .isEqualTo(expected);
    }
    for (String winner : winners) {
      Reply trail =
          service.send("GET", "/api/accounts/" + winner + "/transactions", service.admin(), null);
      List<String> types = new ArrayList<>();
      trail.body().get("items").forEach(item -> types.add(item.get("type").asText()));
      assertThat(types).containsExactly("CREDIT", "DEBIT");
      assertThat(trail.body().get("items").get(1).get("transactionId").asText()).startsWith("clm_");
    }
    // The lead is full for good: asked again, every tradie gets the same answer as the first time.
    for (int i = 0; i < tradies; i++) {
      Reply again =
          service.send(
              "POST", "/api/leads/rush-lead/claim", service.token(ids.get(i), Role.TRADIE), null);
      if (winners.contains(ids.get(i))) {
        assertThat(again.status()).as(ids.get(i)).isEqualTo(200);
        assertThat(again.body().get("tradieId").asText()).isEqualTo(ids.get(i));
      } else {
        assertThat(again.status()).as(ids.get(i)).isEqualTo(409);
        assertThat(again.code()).isEqualTo("LEAD_FULL");
      }
    }
    Reply audit = service.audit();
    assertThat(audit.body().get("ok").asBoolean()).as(audit.body().toString()).isTrue();
  }
}
