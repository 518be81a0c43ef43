package io.leadcredits.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Rejection;
import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.AccountEvent.Captured;
import io.leadcredits.account.AccountEvent.Credited;
import io.leadcredits.account.AccountEvent.Debited;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.account.AccountEvent.Expired;
import io.leadcredits.account.AccountEvent.GrantExpired;
import io.leadcredits.account.AccountEvent.GrantVoided;
import io.leadcredits.account.AccountEvent.Released;
import io.leadcredits.account.AccountEvent.Reserved;
import io.leadcredits.account.GrantAmount;
import io.leadcredits.account.GrantCategory;
import io.leadcredits.account.GrantTerms;
import io.leadcredits.feed.FeedEvents.LeadTally;
import io.leadcredits.lead.LeadEvent;
import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadEvent.LeadClosed;
import io.leadcredits.lead.LeadEvent.LeadCreated;
import io.leadcredits.lead.LeadEvent.SlotReleased;
import io.leadcredits.lead.LeadEvent.SlotTaken;
import io.leadcredits.pricing.JobSize;
import io.leadcredits.pricing.PriceList;
import io.leadcredits.pricing.PricingEvent.PriceListChanged;
import io.leadcredits.pricing.PricingEvent.TierChanged;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Given a stored event, then what the feed announces: one row per kind of event. */
class FeedEventsTest {
  private static final Instant T = Instant.parse("2026-12-07T10:00:00.123Z");
  private static final FeedCursor ROW = new FeedCursor(900, 42, -1);
  private static final Entry ENTRY =
      new Entry("tx-1", 30, 100, 70, 10, 10, T, Map.of("leadId", "job-1", "claimId", "c-1"));

  private record AccountRow(AccountEvent event, String type, boolean hasHold) {}

  @Test
  void everyAccountChangeIsOneEventWithItsBalances() {
    List<AccountRow> rows =
        List.of(
            new AccountRow(new Credited(ENTRY, "f"), "credit.credited", false),
            new AccountRow(new Debited(ENTRY, "f"), "credit.debited", false),
            new AccountRow(new Reserved(ENTRY, "f", T.plusSeconds(60)), "credit.reserved", true),
            new AccountRow(new Captured(ENTRY), "credit.captured", true),
            new AccountRow(new Released(ENTRY), "credit.released", true),
            new AccountRow(new Expired(ENTRY), "credit.expired", true),
            new AccountRow(new GrantExpired(ENTRY, "g-1"), "credit.grant_expired", false),
            new AccountRow(
                new GrantVoided(ENTRY, "g-1", "chargeback", "f"), "credit.grant_voided", false));
    for (AccountRow row : rows) {
      List<FeedEvent> events = FeedEvents.ofAccount("ann", 7, row.event(), ROW);
      assertThat(events).as(row.type()).hasSize(1);
      FeedEvent e = events.get(0);
      assertThat(e.type()).isEqualTo(row.type());
      assertThat(e.subject()).isEqualTo("accounts/ann");
      assertThat(e.sequenceNr()).isEqualTo(7);
      assertThat(e.timestamp()).isEqualTo(T);
      assertThat(e.cursor()).isEqualTo(new FeedCursor(900, 42, 0));
      assertThat(e.data())
          .containsEntry("accountId", "ann")
          .containsEntry("transactionId", "tx-1")
          .containsEntry("amount", 30L)
          .containsEntry("balanceBefore", 100L)
          .containsEntry("balanceAfter", 70L)
          .containsEntry("reservedBefore", 10L)
          .containsEntry("reservedAfter", 10L)
          .containsEntry("metadata", Map.of("leadId", "job-1", "claimId", "c-1"));
      assertThat(e.data().containsKey("holdId")).as(row.type()).isEqualTo(row.hasHold());
    }
  }

  @Test
  void grantEventsNameTheirGrantsAndDebitsAndCapturesWhatTheyTookFromEach() {
    List<GrantAmount> taken = List.of(new GrantAmount("promo", 20), new GrantAmount("paid", 10));
    List<Map<String, Object>> takenJson =
        List.of(
            Map.of("grantId", "promo", "amount", 20L), Map.of("grantId", "paid", "amount", 10L));
    Map<String, Object> debit =
        FeedEvents.ofAccount("ann", 7, new Debited(ENTRY, "f", taken), ROW).get(0).data();
    assertThat(debit).containsEntry("grants", takenJson);
    Map<String, Object> capture =
        FeedEvents.ofAccount("ann", 7, new Captured(ENTRY, taken), ROW).get(0).data();
    assertThat(capture).containsEntry("grants", takenJson).containsEntry("holdId", "tx-1");
    Map<String, Object> credit =
        FeedEvents.ofAccount(
                "ann",
                7,
                new Credited(
                    ENTRY,
                    "f",
                    new GrantTerms(
                        GrantCategory.PAID,
                        T.plusSeconds(60),
                        20,
                        new GrantTerms.Price(1500, "AUD"))),
                ROW)
            .get(0)
            .data();
    assertThat(credit)
        .containsEntry("grantId", "tx-1")
        .containsEntry("category", "paid")
        .containsEntry("expiresAt", T.plusSeconds(60))
        .containsEntry("priority", 20)
        .containsEntry("price", Map.of("amountMinor", 1500L, "currency", "AUD"));
    Map<String, Object> expired =
        FeedEvents.ofAccount("ann", 7, new GrantExpired(ENTRY, "g-1"), ROW).get(0).data();
    assertThat(expired).containsEntry("grantId", "g-1");
    Map<String, Object> voided =
        FeedEvents.ofAccount("ann", 7, new GrantVoided(ENTRY, "g-1", "chargeback", "f"), ROW)
            .get(0)
            .data();
    assertThat(voided).containsEntry("grantId", "g-1").containsEntry("reason", "chargeback");
    // Stored before grants: nothing about them.
    assertThat(FeedEvents.ofAccount("ann", 7, new Debited(ENTRY, "f"), ROW).get(0).data())
        .doesNotContainKey("grants");
    assertThat(FeedEvents.ofAccount("ann", 7, new Credited(ENTRY, "f"), ROW).get(0).data())
        .doesNotContainKey("grantId");
  }

  @Test
  void aLeadAnnouncesItsCreationEachClaimBeingFullAndItsClose() {
    LeadTally tally = LeadTally.NONE;
    List<LeadEvent> stored =
        List.of(
            new LeadCreated(5, 2, T.plusSeconds(3600), T),
            new SlotTaken("c-1", "ann", T),
            new SlotReleased("c-1", "ann", Rejection.INSUFFICIENT_CREDITS, T),
            new SlotTaken("c-2", "bob", T),
            new ClaimConfirmed("c-2", "bob", 5, 95, T),
            new SlotTaken("c-3", "cat", T),
            new ClaimConfirmed("c-3", "cat", 5, 45, T),
            new LeadClosed(T));
    List<FeedEvent> announced = new ArrayList<>();
    long seq = 0;
    for (LeadEvent e : stored) {
      seq++;
      announced.addAll(
          FeedEvents.ofLead("job-1", seq, e, tally, new FeedCursor(900 + seq, seq, -1)));
      tally = tally.after(e);
    }
    assertThat(announced)
        .extracting(FeedEvent::type)
        .containsExactly(
            "lead.created", "lead.claimed", "lead.claimed", "lead.full", "lead.closed");
    assertThat(announced).extracting(FeedEvent::subject).containsOnly("leads/job-1");
    assertThat(announced.get(0).data())
        .containsEntry("creditCost", 5L)
        .containsEntry("maxClaims", 2)
        .containsEntry("expiresAt", T.plusSeconds(3600));
    assertThat(announced.get(1).data())
        .containsEntry("tradieId", "bob")
        .containsEntry("claimId", "c-2")
        .containsEntry("creditsUsed", 5L)
        .containsEntry("creditCost", 5L)
        .containsEntry("pricingVersion", null)
        .containsEntry("claims", 1)
        .containsEntry("maxClaims", 2);
    assertThat(announced.get(2).data()).containsEntry("claims", 2).containsEntry("tradieId", "cat");
    // The claim that fills the lead and the lead being full come from one row, in that order.
    assertThat(announced.get(2).sequenceNr()).isEqualTo(announced.get(3).sequenceNr());
    assertThat(announced.get(2).cursor()).isLessThan(announced.get(3).cursor());
    assertThat(announced.get(4).data()).isEqualTo(Map.of("leadId", "job-1"));
  }

  @Test
  void aVoidIsAnnouncedOnceAndTheRefundsItDrivesAreNot() {
    LeadTally tally = LeadTally.NONE.after(new LeadCreated(5, 2, null, T));
    List<FeedEvent> voided =
        FeedEvents.ofLead("job-3", 5, new LeadEvent.LeadVoided("fake", "ops", T, 2), tally, ROW);
    assertThat(voided).extracting(FeedEvent::type).containsExactly("lead.voided");
    assertThat(voided.get(0).subject()).isEqualTo("leads/job-3");
    assertThat(voided.get(0).timestamp()).isEqualTo(T);
    assertThat(voided.get(0).data())
        .isEqualTo(Map.of("leadId", "job-3", "reason", "fake", "voidedBy", "ops", "claims", 2));
    assertThat(FeedEvents.ofLead("job-3", 6, new LeadEvent.VoidRefunded("c-1", T), tally, ROW))
        .isEmpty();
  }

  @Test
  void aPricedLeadAnnouncesWhatPricesItAndEachClaimItsPriceAndVersion() {
    LeadCreated created = new LeadCreated(0, 3, null, T, "plumbing", "NSW-2000", JobSize.LARGE);
    FeedEvent lead = FeedEvents.ofLead("job-2", 1, created, LeadTally.NONE, ROW).get(0);
    assertThat(lead.data())
        .containsEntry("creditCost", null)
        .containsEntry("category", "plumbing")
        .containsEntry("region", "NSW-2000")
        .containsEntry("jobSize", "LARGE");
    FeedEvent claimed =
        FeedEvents.ofLead(
                "job-2",
                3,
                new ClaimConfirmed("c-1", "ann", 38, 62, T, 4),
                LeadTally.NONE.after(created),
                ROW)
            .get(0);
    assertThat(claimed.data())
        .containsEntry("creditCost", 38L)
        .containsEntry("creditsUsed", 38L)
        .containsEntry("pricingVersion", 4L);
  }

  @Test
  void aNewPriceListAndANewTierAreEventsOfThePricing() {
    PriceList list =
        new PriceList(
            new PriceList.Base(10, null), null, null, null, null, 1, RoundingMode.HALF_UP);
    FeedEvent changed =
        FeedEvents.ofPricing(2, new PriceListChanged(2, 1, list, "ops", T), ROW).get(0);
    assertThat(changed.type()).isEqualTo("pricing.changed");
    assertThat(changed.subject()).isEqualTo("pricing");
    assertThat(changed.sequenceNr()).isEqualTo(2);
    assertThat(changed.data())
        .containsEntry("version", 2L)
        .containsEntry("previousVersion", 1L)
        .containsEntry("changedBy", "ops")
        .containsEntry("document", list.document());
    FeedEvent tier =
        FeedEvents.ofPricing(3, new TierChanged("ann", "gold", null, "ops", T), ROW).get(0);
    assertThat(tier.type()).isEqualTo("pricing.tier-changed");
    assertThat(tier.data())
        .containsEntry("tradieId", "ann")
        .containsEntry("tier", "gold")
        .containsEntry("previousTier", null);
  }

  @Test
  void anIdIsTheSameOnEveryReadingAndDiffersBetweenChanges() {
    FeedEvent once = FeedEvents.ofAccount("ann", 7, new Credited(ENTRY, "f"), ROW).get(0);
    FeedEvent again =
        FeedEvents.ofAccount("ann", 7, new Credited(ENTRY, "f"), new FeedCursor(5, 6, -1)).get(0);
    assertThat(again.id()).isEqualTo(once.id()).startsWith("evt_");
    Set<String> ids = new HashSet<>();
    for (String subject : List.of("accounts/ann", "accounts/bob", "leads/ann")) {
      for (long seq = 1; seq <= 3; seq++) {
        for (String type : EventTypes.ALL) {
          ids.add(FeedEvents.id(subject, seq, type));
        }
      }
    }
    assertThat(ids).hasSize(3 * 3 * EventTypes.ALL.size());
  }
}
