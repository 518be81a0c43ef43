package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.AccountView;
import io.leadcredits.claim.ClaimResult;
import io.leadcredits.engine.AuditReport;
import io.leadcredits.engine.TrailPage;
import io.leadcredits.lead.LeadStatus;
import io.leadcredits.lead.LeadView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.junit.jupiter.api.Test;

class ViewsTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  private static List<String> fields(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void accountViewHasTheContractFields() {
    AccountView view =
        new AccountView("alice", 100, 30, 70, List.of(new AccountView.HoldView("h1", 30, AT)), 4);

    JsonNode json = Views.account(view);

    assertThat(fields(json))
        .containsExactly("accountId", "balance", "reserved", "available", "holds", "version");
    assertThat(fields(json.get("holds").get(0))).containsExactly("holdId", "amount", "expiresAt");
    assertThat(json.get("holds").get(0).get("expiresAt").asText())
        .isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void reservationIsTheAccountViewWithTheHoldIdLast() {
    AccountView withHolds =
        new AccountView("alice", 100, 30, 70, List.of(new AccountView.HoldView("h1", 30, AT)), 4);
    AccountView withoutHolds = new AccountView("bob", 5, 0, 5, List.of(), 1);

    for (AccountView view : List.of(withHolds, withoutHolds, withHolds)) {
      HttpResponse response =
          Replies.reservation(new AccountReply.Accepted(view, view.balance(), false), "h-\"9");
      byte[] body = ((HttpEntity.Strict) response.entity()).getData().toArray();

      ObjectNode expected = Views.account(view).put("holdId", "h-\"9");
      assertThat(new String(body, StandardCharsets.UTF_8))
          .isEqualTo(new String(Json.bytes(expected), StandardCharsets.UTF_8));
      assertThat(response.status()).isEqualTo(StatusCodes.CREATED);
    }
  }

  @Test
  void leadViewShowsExpiresAtOnlyWhenSet() {
    LeadView open =
        new LeadView(
            "L1",
            5,
            3,
            LeadStatus.OPEN,
            List.of(new LeadView.ClaimView("alice", "clm_x", AT)),
            null,
            2);

    JsonNode json = Views.lead(open);

    assertThat(fields(json))
        .containsExactly("leadId", "creditCost", "maxClaims", "status", "claims", "version");
    assertThat(fields(json.get("claims").get(0))).containsExactly("tradieId", "claimId", "at");
    assertThat(json.get("status").asText()).isEqualTo("OPEN");
    LeadView expiring = new LeadView("L1", 5, 3, LeadStatus.OPEN, List.of(), AT, 1);
    assertThat(Views.lead(expiring).get("expiresAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void claimTrailAndAuditHaveTheContractFields() {
    assertThat(fields(Views.claim(new ClaimResult("clm_x", "L1", "alice", 5, 95))))
        .containsExactly("claimId", "leadId", "tradieId", "creditsUsed", "balance");

    TrailPage page =
        new TrailPage(
            List.of(
                new TrailPage.Item(
                    1, "t1", "CREDIT", 100, 0, 100, 0, 0, AT, Map.of("reason", "top-up"))),
            null);
    JsonNode trail = Views.trail(page);
    assertThat(fields(trail)).containsExactly("items", "next");
    assertThat(trail.get("next").isNull()).isTrue();
    assertThat(fields(trail.get("items").get(0)))
        .containsExactly(
            "transactionId",
            "type",
            "amount",
            "balanceBefore",
            "balanceAfter",
            "reservedBefore",
            "reservedAfter",
            "at",
            "metadata");
    assertThat(trail.get("items").get(0).get("metadata").get("reason").asText())
        .isEqualTo("top-up");
    assertThat(Views.trail(new TrailPage(List.of(), 7L)).get("next").asLong()).isEqualTo(7);

    JsonNode audit = Views.audit(AuditReport.of(List.of("bad"), 2, 1));
    assertThat(fields(audit))
        .containsExactly("ok", "violations", "accountsChecked", "leadsChecked");
    assertThat(audit.get("ok").asBoolean()).isFalse();
  }
}
