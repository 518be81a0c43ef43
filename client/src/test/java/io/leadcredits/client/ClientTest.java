package io.leadcredits.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcredits.client.model.Account;
import io.leadcredits.client.model.AccountChange;
import io.leadcredits.client.model.Claim;
import io.leadcredits.client.model.CreditReport;
import io.leadcredits.client.model.Event;
import io.leadcredits.client.model.Grant;
import io.leadcredits.client.model.Lead;
import io.leadcredits.client.model.NewGrant;
import io.leadcredits.client.model.NewLead;
import io.leadcredits.client.model.NewWebhook;
import io.leadcredits.client.model.PriceList;
import io.leadcredits.client.model.Quote;
import io.leadcredits.client.model.Reservation;
import io.leadcredits.client.model.TrailItem;
import io.leadcredits.client.model.Webhook;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The client against a live service: every kind of call, and problems as typed exceptions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientTest {
  @TempDir static Path dataDir;
  private LiveService live;
  private LeadCredits admin;

  @BeforeAll
  void start() {
    live = new LiveService(dataDir);
    admin = live.admin();
  }

  @AfterAll
  void stop() {
    live.close();
  }

  @Test
  void movesCreditsThroughCreditsDebitsAndHolds() {
    admin.accounts().credit("ann", 100, "pack");
    AccountChange debited = admin.accounts().debit("ann", 30, "manual");
    assertThat(debited.balance()).isEqualTo(70);

    Reservation held = admin.accounts().reserve("ann", 20, Duration.ofMinutes(5));
    assertThat(held.available()).isEqualTo(50);
    assertThat(held.expiresAt()).isNotNull();
    assertThat(admin.accounts().get("ann").holds())
        .extracting("holdId")
        .containsExactly(held.holdId());

    AccountChange captured = admin.accounts().capture("ann", held.holdId());
    assertThat(captured.balance()).isEqualTo(50);
    Reservation other = admin.accounts().reserve("ann", 10, null);
    assertThat(admin.accounts().release("ann", other.holdId()).available()).isEqualTo(50);

    List<TrailItem> trail = admin.accounts().transactions("ann", 0, 100).items();
    assertThat(trail)
        .extracting(TrailItem::type)
        .containsExactly("CREDIT", "DEBIT", "RESERVE", "CAPTURE", "RESERVE", "RELEASE");
    assertThat(admin.accounts().transactions("ann", 0, 2).next()).isEqualTo(2L);
  }

  @Test
  void setsTheLowBalanceAlertAndReadsStatements() {
    admin.accounts().credit("alert-ann", 100, "pack");
    assertThat(admin.accounts().alerts("alert-ann").lowBalanceThreshold()).isZero();
    assertThat(admin.accounts().setAlerts("alert-ann", 50).lowBalanceThreshold()).isEqualTo(50);
    assertThat(admin.accounts().alerts("alert-ann").lowBalanceThreshold()).isEqualTo(50);
    admin.accounts().debit("alert-ann", 60, "a \"hot\", lead");

    io.leadcredits.client.model.Statement s = admin.accounts().statement("alert-ann", null, null);
    assertThat(s.openingBalance()).isZero();
    assertThat(s.closingBalance()).isEqualTo(40);
    assertThat(s.entries())
        .extracting(io.leadcredits.client.model.Statement.Entry::balanceChange)
        .containsExactly(100L, -60L);
    assertThat(s.totals()).containsEntry("CREDIT", 100L).containsEntry("DEBIT", 60L);
    assertThat(s.byCategory()).containsEntry("paid", 40L);
    String csv = admin.accounts().statementCsv("alert-ann", null, Instant.now().plusSeconds(60));
    assertThat(csv).startsWith("version,at,transactionId,type,amount,balanceChange,");
    assertThat(csv).contains("\"{\"\"reason\"\":\"\"a \\\"\"hot\\\"\", lead\"\"}\"");
    assertThat(csv).contains("total,closingBalance,40\r\n");
    assertThatThrownBy(() -> admin.accounts().setAlerts("alert-ann", -1))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("INVALID_REQUEST");
  }

  @Test
  void theSameTransactionIdAppliesOnce() {
    admin.accounts().credit("bob", 40, "pack", "topup-bob-1");
    AccountChange again = admin.accounts().credit("bob", 40, "pack", "topup-bob-1");
    assertThat(again.balance()).isEqualTo(40);
    assertThatThrownBy(() -> admin.accounts().credit("bob", 41, "pack", "topup-bob-1"))
        .isInstanceOf(ProblemException.Conflict.class)
        .extracting(e -> ((ProblemException) e).code())
        .isEqualTo("IDEMPOTENCY_CONFLICT");
  }

  @Test
  void aTradieClaimsALeadOnceAndReadsItsOwnBalance() {
    admin.accounts().credit("cat", 50, "pack");
    Lead lead = admin.leads().create(NewLead.of("job-cat", 15, 2));
    assertThat(lead.status()).isEqualTo("OPEN");

    LeadCredits cat = live.tradie("cat");
    Claim claim = cat.leads().claim("job-cat");
    Claim retried = cat.leads().claim("job-cat");
    assertThat(retried.claimId()).isEqualTo(claim.claimId());
    assertThat(cat.accounts().ownBalance().balance()).isEqualTo(35);
    assertThat(admin.leads().get("job-cat").claims()).extracting("tradieId").containsExactly("cat");
    assertThat(admin.leads().list("OPEN", 100).items())
        .extracting(Lead::leadId)
        .contains("job-cat");
    assertThat(admin.leads().close("job-cat").status()).isEqualTo("CLOSED");
  }

  @Test
  void aLeadWithoutAnIdIsNamedByTheCallsKey() {
    Lead created = admin.leads().create(new NewLead(null, 5L, 1, null, null, null, null));
    assertThat(created.leadId()).isNotBlank();
    assertThat(admin.leads().get(created.leadId()).creditCost()).isEqualTo(5);
  }

  @Test
  void problemsAreTypedExceptionsWithTheirCode() {
    admin.accounts().credit("dan", 5, "pack");
    assertThatThrownBy(() -> admin.accounts().debit("dan", 6, "too much"))
        .isInstanceOfSatisfying(
            ProblemException.Conflict.class,
            e -> {
              assertThat(e.code()).isEqualTo("INSUFFICIENT_CREDITS");
              assertThat(e.status()).isEqualTo(402);
            });
    assertThatThrownBy(() -> admin.leads().get("no-such-lead"))
        .isInstanceOfSatisfying(
            ProblemException.NotFound.class, e -> assertThat(e.code()).isEqualTo("NOT_FOUND"));
    assertThatThrownBy(() -> admin.accounts().debit("dan", -1, "negative"))
        .isInstanceOfSatisfying(
            ProblemException.Invalid.class, e -> assertThat(e.code()).isEqualTo("INVALID_REQUEST"));
    assertThatThrownBy(() -> live.tradie("eve").accounts().get("dan"))
        .isInstanceOfSatisfying(
            ProblemException.Unauthorized.class, e -> assertThat(e.code()).isEqualTo("FORBIDDEN"));
    LeadCredits nobody = live.builder().build();
    assertThatThrownBy(() -> nobody.accounts().ownBalance())
        .isInstanceOfSatisfying(
            ProblemException.Unauthorized.class,
            e -> assertThat(e.code()).isEqualTo("UNAUTHENTICATED"));
    assertThat(admin.accounts().get("dan").balance()).isEqualTo(5);
  }

  @Test
  void theFeedIsFollowedAndResumedFromACursor() {
    List<String> types = List.of("credit.credited");
    FeedIterator feed = admin.events().follow(null, List.of("credit."));
    admin.accounts().credit("fay", 1, "one", "fay-1");
    admin.accounts().credit("fay", 2, "two", "fay-2");
    admin.accounts().credit("fay", 3, "three", "fay-3");

    List<Long> amounts = new ArrayList<>();
    String resumeAt = null;
    while (amounts.size() < 3) {
      Event event = feed.next();
      if (event.subject().equals("accounts/fay")) {
        amounts.add(event.data().path("amount").asLong());
        if (amounts.size() == 1) {
          resumeAt = feed.cursor();
        }
      }
    }
    assertThat(amounts).containsExactly(1L, 2L, 3L);

    FeedIterator resumed = admin.events().follow(resumeAt, types);
    List<Long> after = new ArrayList<>();
    while (after.size() < 2) {
      Event event = resumed.next();
      if (event.subject().equals("accounts/fay")) {
        after.add(event.data().path("amount").asLong());
      }
    }
    assertThat(after).containsExactly(2L, 3L);
  }

  @Test
  void webhookEndpointsAreManaged() {
    Webhook created =
        admin.webhooks().create(new NewWebhook("http://127.0.0.1:9/hook", List.of("lead."), "crm"));
    assertThat(created.secret()).startsWith("whsec_");
    assertThat(admin.webhooks().get(created.id()).secret()).isNull();
    assertThat(admin.webhooks().list()).extracting(Webhook::id).contains(created.id());
    assertThat(admin.webhooks().rotateSecret(created.id()).secret())
        .startsWith("whsec_")
        .isNotEqualTo(created.secret());
    assertThat(admin.webhooks().deliveries(created.id())).isEmpty();
    admin.webhooks().delete(created.id());
    assertThatThrownBy(() -> admin.webhooks().get(created.id()))
        .isInstanceOf(ProblemException.NotFound.class);
  }

  @Test
  void operatorCallsAnswer() {
    assertThat(admin.operations().live().status()).isEqualTo("live");
    assertThat(admin.operations().ready().status()).isEqualTo("ready");
    assertThat(admin.operations().metrics()).contains("# TYPE");
    assertThat(admin.operations().openApi().path("openapi").asText()).startsWith("3.");
    assertThat(admin.operations().cluster().path("members").isArray()).isTrue();
    assertThat(admin.operations().audit().ok()).isTrue();
  }

  @Test
  void readsTheCreditReportAsOfATimeAndForAPeriod() {
    Instant at = Instant.parse("2020-01-01T00:00:00Z");
    CreditReport old = admin.operations().creditReport(at, at.minus(Duration.ofDays(1)), at);
    assertThat(old.at()).isEqualTo(at);
    assertThat(old.outstanding().paid()).isZero();
    assertThat(old.paidValue()).isEmpty();
    assertThat(old.period().from()).isEqualTo(at.minus(Duration.ofDays(1)));
    assertThat(old.period().to()).isEqualTo(at);
    CreditReport now = admin.operations().creditReport(null, null, null);
    assertThat(now.expiring().until()).isEqualTo(now.at().plus(Duration.ofDays(30)));
    assertThat(now.period().to()).isEqualTo(now.at());
    assertThat(now.asOf().eventsApplied()).isNotNegative();
  }

  @Test
  void topUpsAreGrantsThatCanBeVoided() {
    AccountChange paid = admin.accounts().grant("gus", NewGrant.paid(100, "pack"));
    assertThat(paid.grantId()).isNotBlank();
    admin
        .accounts()
        .grant("gus", NewGrant.promotional(30, "bonus", Instant.now().plus(Duration.ofDays(30))));
    Account gus = admin.accounts().get("gus");
    assertThat(gus.byCategory()).containsEntry("paid", 100L).containsEntry("promotional", 30L);
    assertThat(gus.grants())
        .extracting(Grant::category)
        .containsExactlyInAnyOrder("paid", "promotional");
    AccountChange voided = admin.accounts().voidGrant("gus", paid.grantId(), "chargeback");
    assertThat(voided.balance()).isEqualTo(30);
    // A voided grant is no longer live: voiding it again under a new transaction finds nothing.
    assertThatThrownBy(() -> admin.accounts().voidGrant("gus", paid.grantId(), "again"))
        .isInstanceOf(ProblemException.NotFound.class);
  }

  @Test
  void aLeadIsPricedByTheListQuotedAndClaimedWithinAMaximum() {
    PriceList list =
        admin
            .pricing()
            .put(
                new PriceList(
                    new PriceList.Base(10, Map.of("plumbing", 20L)),
                    null,
                    null,
                    Map.of("gold", new BigDecimal("0.5")),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
    assertThat(admin.pricing().get().version()).isEqualTo(list.version());
    assertThat(admin.accounts().setProfile("hal", "gold").tier()).isEqualTo("gold");
    admin.accounts().credit("hal", 100, "pack");
    admin.leads().create(new NewLead("job-hal", null, 2, null, "plumbing", null, null));

    LeadCredits hal = live.tradie("hal");
    Quote quote = hal.leads().quote("job-hal");
    assertThat(quote.creditCost()).isEqualTo(10);
    assertThat(quote.pricingVersion()).isEqualTo(list.version());
    assertThatThrownBy(() -> hal.leads().claim("job-hal", 9))
        .isInstanceOfSatisfying(
            ProblemException.Conflict.class,
            e -> assertThat(e.code()).isEqualTo("PRICE_ABOVE_MAX"));
    Claim claim = hal.leads().claim("job-hal", 10);
    assertThat(claim.creditCost()).isEqualTo(10L);
    assertThat(claim.pricingVersion()).isEqualTo(list.version());
    assertThat(claim.balance()).isEqualTo(90);
  }
}
