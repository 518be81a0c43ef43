package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.AccountView;
import io.leadcredits.account.TransactionType;
import io.leadcredits.audit.AuditReport;
import io.leadcredits.claim.ClaimResult;
import io.leadcredits.engine.TrailPage;
import io.leadcredits.lead.LeadStatus;
import io.leadcredits.lead.LeadView;
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
  void aChangeAnswersWithTheBalancesNotTheHolds() {
    AccountView view =
        new AccountView("alice", 100, 30, 70, List.of(new AccountView.HoldView("h1", 30, AT)), 4);

    HttpResponse response = Replies.change(new AccountReply.Accepted(view, view.balance(), false));

    JsonNode json = Json.parseObject(((HttpEntity.Strict) response.entity()).getData().toArray());
    assertThat(fields(json))
        .containsExactly("accountId", "balance", "reserved", "available", "version");
    assertThat(json.get("available").asLong()).isEqualTo(70);
    assertThat(response.status()).isEqualTo(StatusCodes.OK);
  }

  @Test
  void aReservationAnswersWithTheBalancesAndItsHold() {
    AccountView view =
        new AccountView(
            "alice",
            100,
            50,
            50,
            List.of(
                new AccountView.HoldView("h0", 20, AT.plusSeconds(60)),
                new AccountView.HoldView("h-\"9", 30, AT)),
            4);

    HttpResponse open = Replies.reservation(new AccountReply.Accepted(view, 100, false), "h-\"9");
    HttpResponse ended = Replies.reservation(new AccountReply.Accepted(view, 100, true), "h-gone");

    JsonNode json = Json.parseObject(((HttpEntity.Strict) open.entity()).getData().toArray());
    assertThat(fields(json))
        .containsExactly(
            "accountId", "balance", "reserved", "available", "version", "holdId", "expiresAt");
    assertThat(json.get("holdId").asText()).isEqualTo("h-\"9");
    assertThat(json.get("expiresAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(open.status()).isEqualTo(StatusCodes.CREATED);
    JsonNode replay = Json.parseObject(((HttpEntity.Strict) ended.entity()).getData().toArray());
    assertThat(fields(replay)).doesNotContain("expiresAt").contains("holdId");
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
        .containsExactly(
            "claimId",
            "leadId",
            "tradieId",
            "creditsUsed",
            "balance",
            "creditCost",
            "pricingVersion");
    assertThat(
            Views.claim(new ClaimResult("clm_x", "L1", "alice", 5, 95))
                .get("pricingVersion")
                .isNull())
        .isTrue();
    assertThat(
            Views.claim(new ClaimResult("clm_x", "L1", "alice", 38, 62, 4))
                .get("pricingVersion")
                .asLong())
        .isEqualTo(4);

    TrailPage page =
        new TrailPage(
            List.of(
                new TrailPage.Item(
                    1,
                    "t1",
                    TransactionType.CREDIT,
                    100,
                    0,
                    100,
                    0,
                    0,
                    AT,
                    Map.of("reason", "top-up"))),
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
    assertThat(trail.get("items").get(0).get("type").asText()).isEqualTo("CREDIT");
    assertThat(trail.get("items").get(0).get("metadata").get("reason").asText())
        .isEqualTo("top-up");
    assertThat(Views.trail(new TrailPage(List.of(), 7L)).get("next").asLong()).isEqualTo(7);

    JsonNode audit = Views.audit(AuditReport.of(List.of("bad"), 2, 1));
    assertThat(fields(audit))
        .containsExactly("ok", "violations", "accountsChecked", "leadsChecked");
    assertThat(audit.get("ok").asBoolean()).isFalse();
  }
}
