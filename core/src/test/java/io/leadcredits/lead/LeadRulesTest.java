package io.leadcredits.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Ids;
import io.leadcredits.Rejection;
import io.leadcredits.lead.LeadDecision.Accept;
import io.leadcredits.lead.LeadDecision.AlreadyWon;
import io.leadcredits.lead.LeadDecision.Confirm;
import io.leadcredits.lead.LeadDecision.Reject;
import io.leadcredits.lead.LeadDecision.Release;
import io.leadcredits.lead.LeadDecision.TakeSlot;
import io.leadcredits.lead.LeadDecision.Underway;
import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadEvent.LeadClosed;
import io.leadcredits.lead.LeadEvent.LeadCreated;
import io.leadcredits.lead.LeadEvent.LeadVoided;
import io.leadcredits.lead.LeadEvent.SlotReleased;
import io.leadcredits.lead.LeadEvent.SlotTaken;
import io.leadcredits.lead.LeadEvent.VoidRefunded;
import io.leadcredits.lead.LeadState.Confirmed;
import io.leadcredits.lead.LeadState.Pending;
import io.leadcredits.pricing.JobSize;
import io.leadcredits.pricing.Price;
import io.leadcredits.pricing.PriceList;
import io.leadcredits.pricing.PricesInForce;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lead's rulebook as tables, without an actor system: given the events a lead has recorded,
 * when a command, then the decision. Each table lists its refusals in the order the rules check
 * them, with a state that also breaks the later checks where it can, so a row that passes shows the
 * precedence too; then the commands that succeed.
 */
class LeadRulesTest {
  private static final String LEAD = "lead-1";
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant EARLIER = NOW.minusSeconds(60);
  private static final Instant LATER = NOW.plusSeconds(60);
  private static final LeadRules rules = new LeadRules(LEAD);

  /** One row: a name, the state, the command (as a call on the rules), and the decision. */
  record Row(
      String name, LeadState given, Function<LeadRules, LeadDecision> when, LeadDecision then) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static LeadState given(LeadEvent... events) {
    LeadState state = LeadState.empty();
    for (LeadEvent e : events) {
      state = state.apply(e);
    }
    return state;
  }

  private static LeadCreated created(long cost, int maxClaims, Instant expiresAt) {
    return new LeadCreated(cost, maxClaims, expiresAt, EARLIER);
  }

  private static Reject refused(Rejection rejection, String detail) {
    return new Reject(rejection, detail);
  }

  private static Accept accepted(LeadEvent... events) {
    return new Accept(List.of(events), false);
  }

  private static Accept replayed() {
    return new Accept(List.of(), true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"create", "read", "close", "claim", "confirm", "release", "voidLead"})
  void decides(Row row) {
    assertThat(row.when().apply(rules)).isEqualTo(row.then());
  }

  static Stream<Row> create() {
    LeadState open = given(created(10, 3, null));
    LeadState none = LeadState.empty();
    Reject invalid = refused(Rejection.INVALID_REQUEST, "invalid lead terms");
    return Stream.of(
        new Row(
            "refusesOtherTermsForAnExistingLeadBeforeCheckingThem",
            open,
            r -> r.create(open, 0, 0, EARLIER, NOW),
            refused(Rejection.IDEMPOTENCY_CONFLICT, "lead lead-1 exists with other terms")),
        new Row(
            "refusesAnotherExpiryForAnExistingLead",
            open,
            r -> r.create(open, 10, 3, LATER, NOW),
            refused(Rejection.IDEMPOTENCY_CONFLICT, "lead lead-1 exists with other terms")),
        new Row(
            "repeatsTheSameTermsForAnExistingLead",
            open,
            r -> r.create(open, 10, 3, null, NOW),
            replayed()),
        new Row("refusesAFreeLead", none, r -> r.create(none, 0, 0, EARLIER, NOW), invalid),
        new Row("refusesNoSlots", none, r -> r.create(none, 10, 0, EARLIER, NOW), invalid),
        new Row(
            "refusesMoreSlotsThanTheLimit",
            none,
            r -> r.create(none, 10, LeadRules.maxClaimsLimit + 1, EARLIER, NOW),
            invalid),
        new Row("refusesAnExpiryNotAfterNow", none, r -> r.create(none, 10, 3, NOW, NOW), invalid),
        new Row(
            "createsALeadThatExpires",
            none,
            r -> r.create(none, 10, 3, LATER, NOW),
            accepted(new LeadCreated(10, 3, LATER, NOW))),
        new Row(
            "createsALeadWithAsManySlotsAsTheLimit",
            none,
            r -> r.create(none, 1, LeadRules.maxClaimsLimit, null, NOW),
            accepted(new LeadCreated(1, LeadRules.maxClaimsLimit, null, NOW))));
  }

  static Stream<Row> read() {
    LeadState none = LeadState.empty();
    LeadState closed = given(created(10, 3, null), new LeadClosed(EARLIER));
    return Stream.of(
        new Row("refusesToReadALeadNeverCreated", none, r -> r.read(none), notFound()),
        new Row("readsAClosedLead", closed, r -> r.read(closed), accepted()));
  }

  static Stream<Row> close() {
    LeadState none = LeadState.empty();
    LeadState open = given(created(10, 3, null));
    LeadState closed = given(created(10, 3, null), new LeadClosed(EARLIER));
    LeadState expired = given(created(10, 3, EARLIER.plusSeconds(1)));
    return Stream.of(
        new Row("refusesToCloseALeadNeverCreated", none, r -> r.close(none, NOW), notFound()),
        new Row("repeatsTheCloseOfAClosedLead", closed, r -> r.close(closed, NOW), replayed()),
        new Row("closesAnOpenLead", open, r -> r.close(open, NOW), accepted(new LeadClosed(NOW))),
        new Row(
            "closesAnExpiredLead",
            expired,
            r -> r.close(expired, NOW),
            accepted(new LeadClosed(NOW))));
  }

  static Stream<Row> claim() {
    LeadState none = LeadState.empty();
    LeadState open = given(created(10, 3, null));
    // One slot, won by ann, then closed: every later check would refuse.
    LeadState soldOutClosed =
        given(created(10, 1, null), taken("ann"), confirmed("ann", 90), new LeadClosed(EARLIER));
    // One slot, held by ann's claim being paid, then closed.
    LeadState heldClosed = given(created(10, 1, null), taken("ann"), new LeadClosed(EARLIER));
    LeadState expired = given(created(10, 3, EARLIER.plusSeconds(1)));
    LeadState held = given(created(10, 1, null), taken("ann"));
    LeadState givenBack =
        given(
            created(10, 1, null),
            taken("ann"),
            new SlotReleased(claimId("ann"), "ann", Rejection.INSUFFICIENT_CREDITS, EARLIER));
    return Stream.of(
        new Row(
            "refusesAClaimOnALeadNeverCreated", none, r -> r.claim(none, "bob", NOW), notFound()),
        new Row(
            "answersAWinnerWithTheirClaimEvenOnASoldOutClosedLead",
            soldOutClosed,
            r -> r.claim(soldOutClosed, "ann", NOW),
            new AlreadyWon(new Confirmed(claimId("ann"), "ann", 10, 90, EARLIER))),
        new Row(
            "joinsAClaimBeingPaidEvenOnAFullClosedLead",
            heldClosed,
            r -> r.claim(heldClosed, "ann", NOW),
            new Underway(new Pending(claimId("ann"), "ann", EARLIER, 10, 0))),
        new Row(
            "refusesAClaimOnAClosedLeadBeforeSayingItIsFull",
            heldClosed,
            r -> r.claim(heldClosed, "bob", NOW),
            closed()),
        new Row(
            "refusesAClaimOnAnExpiredLead", expired, r -> r.claim(expired, "bob", NOW), closed()),
        new Row(
            "refusesAClaimOnASoldOutLeadAsFullEvenWhenClosed",
            soldOutClosed,
            r -> r.claim(soldOutClosed, "bob", NOW),
            full()),
        new Row(
            "refusesAClaimWhenEverySlotIsHeldByAClaimBeingPaid",
            held,
            r -> r.claim(held, "bob", NOW),
            full()),
        new Row("takesASlotOnAnOpenLead", open, r -> r.claim(open, "bob", NOW), takes("bob", 0)),
        new Row(
            "takesTheSlotARefusedPaymentGaveBack",
            givenBack,
            r -> r.claim(givenBack, "bob", NOW),
            takes("bob", 0)));
  }

  static Stream<Row> confirm() {
    LeadState none = LeadState.empty();
    LeadState won = given(created(10, 3, null), taken("ann"), confirmed("ann", 90));
    LeadState heldClosed = given(created(10, 3, null), taken("ann"), new LeadClosed(EARLIER));
    return Stream.of(
        new Row(
            "refusesAPaymentForALeadNeverCreated",
            none,
            r -> r.confirm(none, claimId("ann"), 90, NOW),
            noSlot("ann")),
        new Row(
            "refusesAPaymentForASlotConfirmedAlready",
            won,
            r -> r.confirm(won, claimId("ann"), 90, NOW),
            noSlot("ann")),
        new Row(
            "confirmsAClaimWhoseSlotWasTakenBeforeTheLeadClosed",
            heldClosed,
            r -> r.confirm(heldClosed, claimId("ann"), 90, NOW),
            new Confirm(new ClaimConfirmed(claimId("ann"), "ann", 10, 90, NOW))));
  }

  static Stream<Row> release() {
    LeadState none = LeadState.empty();
    LeadState won = given(created(10, 3, null), taken("ann"), confirmed("ann", 90));
    LeadState held = given(created(10, 3, null), taken("ann"));
    Rejection poor = Rejection.INSUFFICIENT_CREDITS;
    return Stream.of(
        new Row(
            "refusesARefusalForALeadNeverCreated",
            none,
            r -> r.release(none, claimId("ann"), poor, NOW),
            noSlot("ann")),
        new Row(
            "refusesARefusalForASlotConfirmedAlready",
            won,
            r -> r.release(won, claimId("ann"), poor, NOW),
            noSlot("ann")),
        new Row(
            "givesBackTheSlotOfARefusedPayment",
            held,
            r -> r.release(held, claimId("ann"), poor, NOW),
            new Release(new SlotReleased(claimId("ann"), "ann", poor, NOW))));
  }

  static Stream<Row> voidLead() {
    LeadState none = LeadState.empty();
    LeadState won = given(created(10, 3, null), taken("ann"), confirmed("ann", 90));
    LeadState voided =
        given(
            created(10, 3, null),
            taken("ann"),
            confirmed("ann", 90),
            new LeadVoided("fake", "admin", EARLIER, 1));
    String tooLong = "x".repeat(LeadRules.voidReasonMax + 1);
    Reject noReason =
        refused(
            Rejection.INVALID_REQUEST,
            "a void needs a reason of 1.." + LeadRules.voidReasonMax + " characters");
    return Stream.of(
        new Row(
            "refusesToVoidALeadNeverCreatedBeforeCheckingTheReason",
            none,
            r -> r.voidLead(none, null, "admin", NOW),
            notFound()),
        new Row(
            "repeatsTheVoidOfAVoidedLeadWhateverItsReason",
            voided,
            r -> r.voidLead(voided, "another", "admin", NOW),
            replayed()),
        new Row(
            "refusesAVoidWithoutAReason", won, r -> r.voidLead(won, " ", "admin", NOW), noReason),
        new Row(
            "refusesAVoidWithAnOverlongReason",
            won,
            r -> r.voidLead(won, tooLong, "admin", NOW),
            noReason),
        new Row(
            "voidsALeadCountingItsConfirmedClaims",
            won,
            r -> r.voidLead(won, "fake", "admin", NOW),
            accepted(new LeadVoided("fake", "admin", NOW, 1))),
        new Row(
            "refusesEveryClaimOnAVoidedLeadEvenTheWinnersRetry",
            voided,
            r -> r.claim(voided, "ann", NOW),
            closed()),
        new Row(
            "refusesANewClaimOnAVoidedLead", voided, r -> r.claim(voided, "bob", NOW), closed()));
  }

  @Test
  void aVoidedLeadOwesARefundForEachConfirmedClaimIncludingOnesPaidAfterTheVoidOnce() {
    LeadState voided =
        given(
            created(10, 3, null),
            taken("ann"),
            confirmed("ann", 90),
            taken("bob"),
            new LeadVoided("fake", "admin", EARLIER, 1));
    assertThat(voided.statusAt(NOW)).isEqualTo(LeadStatus.VOIDED);
    assertThat(voided.refundsOwed()).extracting(Confirmed::claimId).containsExactly(claimId("ann"));
    // bob's payment was under way: once it lands, his claim is owed a refund too.
    LeadState bobPaid = voided.apply(confirmed("bob", 40));
    assertThat(bobPaid.refundsOwed())
        .extracting(Confirmed::claimId)
        .containsExactly(claimId("ann"), claimId("bob"));
    List<LeadEvent> annDone = rules.voidRefunded(bobPaid, claimId("ann"), NOW);
    assertThat(annDone).containsExactly(new VoidRefunded(claimId("ann"), NOW));
    LeadState after = bobPaid.apply(annDone.get(0));
    assertThat(after.refundsOwed()).extracting(Confirmed::claimId).containsExactly(claimId("bob"));
    assertThat(rules.voidRefunded(after, claimId("ann"), NOW)).isEmpty();
    assertThat(rules.voidRefunded(given(created(10, 3, null)), claimId("ann"), NOW)).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> after.apply(annDone.get(0)))
        .isInstanceOf(IllegalStateException.class);
  }

  /** A rush: one decision per claim, each against the slots the earlier ones took. */
  @Test
  void claimsArrivingTogetherTakeNoMoreSlotsThanTheLeadHas() {
    LeadState open = given(created(10, 3, null));
    assertThat(rules.claimAll(open, List.of("a", "b", "a", "c", "d", "e"), NOW))
        .containsExactly(
            takes("a", 0),
            takes("b", 1),
            new Underway(new Pending(claimId("a"), "a", NOW, 10, 0)),
            takes("c", 2),
            full(),
            full());
  }

  /** The decision to take a slot at the lead's own cost of 10, with no list. */
  private static TakeSlot takes(String tradieId, int claimsTaken) {
    return new TakeSlot(
        new SlotTaken(claimId(tradieId), tradieId, NOW, 10, 0, null, claimsTaken),
        new Price(10, 0, List.of(new Price.Step("base", BigDecimal.TEN))));
  }

  // ---- priced by a list ----------------------------------------------------------------------

  private static final PricesInForce V3 =
      new PricesInForce(
          3,
          new PriceList(
              new PriceList.Base(10, new TreeMap<>(Map.of("plumbing", 20L))),
              new TreeMap<>(Map.of("NSW-2000", new BigDecimal("1.5"))),
              Map.of(JobSize.LARGE, new BigDecimal("2")),
              new TreeMap<>(Map.of("gold", new BigDecimal("0.8"))),
              new PriceList.Competition(new BigDecimal("-0.1"), new BigDecimal("0.5")),
              1,
              RoundingMode.HALF_UP));

  private static LeadCreated listed(int maxClaims) {
    return new LeadCreated(0, maxClaims, null, EARLIER, "plumbing", "NSW-2000", JobSize.LARGE);
  }

  private static LeadRules.Terms listedTerms(String category) {
    return LeadRules.Terms.of(0, 3, null, category, "NSW-2000", JobSize.LARGE);
  }

  private static SlotTaken takenAt(String tradieId, long price, String tier, int claimsTaken) {
    return new SlotTaken(claimId(tradieId), tradieId, EARLIER, price, 3, tier, claimsTaken);
  }

  static Stream<Row> createPriced() {
    LeadState none = LeadState.empty();
    LeadState listedLead = given(listed(3));
    return Stream.of(
        new Row(
            "refusesALeadWithoutItsOwnCostWhileNoListIsInForce",
            none,
            r -> r.create(none, listedTerms("plumbing"), false, NOW),
            refused(
                Rejection.NO_PRICE_LIST,
                "lead lead-1 has no creditCost and no price list is in force to price it; give"
                    + " creditCost or put a price list in force first")),
        new Row(
            "refusesAnotherCategoryForAnExistingLead",
            listedLead,
            r -> r.create(listedLead, listedTerms("roofing"), true, NOW),
            refused(Rejection.IDEMPOTENCY_CONFLICT, "lead lead-1 exists with other terms")),
        new Row(
            "repeatsTheSamePricedTerms",
            listedLead,
            r -> r.create(listedLead, listedTerms("plumbing"), true, NOW),
            replayed()),
        new Row(
            "createsALeadTheListPrices",
            none,
            r -> r.create(none, listedTerms("plumbing"), true, NOW),
            accepted(new LeadCreated(0, 3, null, NOW, "plumbing", "NSW-2000", JobSize.LARGE))));
  }

  static Stream<Row> claimPriced() {
    LeadState twoTaken =
        given(
            listed(3),
            takenAt("ann", 48, null, 0),
            new ClaimConfirmed(claimId("ann"), "ann", 48, 52, EARLIER, 3),
            takenAt("bob", 54, null, 1));
    LeadState wonByAnn =
        given(
            listed(3),
            takenAt("ann", 48, null, 0),
            new ClaimConfirmed(claimId("ann"), "ann", 48, 52, EARLIER, 3));
    Price v3At2 =
        new Price(
            38,
            3,
            List.of(
                new Price.Step("base", new BigDecimal("20")),
                new Price.Step("region", new BigDecimal("1.5")),
                new Price.Step("jobSize", new BigDecimal("2")),
                new Price.Step("tier", new BigDecimal("0.8")),
                new Price.Step("competition", new BigDecimal("0.8")),
                new Price.Step("rounded", new BigDecimal("38"))));
    return Stream.of(
        new Row(
            "answersAWinnerWithTheClaimAsPricedWhateverTheirMaxCostNow",
            wonByAnn,
            r -> r.claim(wonByAnn, new LeadRules.Ask("ann", "gold", 1), V3, NOW),
            new AlreadyWon(new Confirmed(claimId("ann"), "ann", 48, 52, EARLIER, 3))),
        new Row(
            "refusesAListPricedLeadWhileNoListIsInForce",
            twoTaken,
            r -> r.claim(twoTaken, LeadRules.Ask.of("cat"), PricesInForce.NONE, NOW),
            refused(
                Rejection.NO_PRICE_LIST,
                "no price list is in force and the lead has no creditCost")),
        new Row(
            "refusesAPriceAboveMaxCostAndTakesNothing",
            twoTaken,
            r -> r.claim(twoTaken, new LeadRules.Ask("cat", "gold", 37), V3, NOW),
            new LeadDecision.TooExpensive(v3At2, 37)),
        new Row(
            "takesASlotAtMaxCostExactly",
            twoTaken,
            r -> r.claim(twoTaken, new LeadRules.Ask("cat", "gold", 38), V3, NOW),
            new TakeSlot(new SlotTaken(claimId("cat"), "cat", NOW, 38, 3, "gold", 2), v3At2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"createPriced", "claimPriced"})
  void decidesPriced(Row row) {
    assertThat(row.when().apply(rules)).isEqualTo(row.then());
  }

  /** A rush priced by a list: each claim pays for the competition the claims before it made. */
  @Test
  void claimsArrivingTogetherArePricedInTheOrderTheyTakeTheirSlots() {
    LeadState open = given(listed(3));
    List<LeadDecision.OnClaim> decisions =
        rules.claimAll(
            open,
            List.of(
                new LeadRules.Ask("a", null, Long.MAX_VALUE),
                new LeadRules.Ask("b", null, 50),
                new LeadRules.Ask("c", "gold", Long.MAX_VALUE),
                new LeadRules.Ask("d", null, Long.MAX_VALUE)),
            V3,
            NOW);
    // 60 × 1, then 60 × 0.9 = 54 > 50 (refused, takes nothing), then 48 × 0.9 = 43.2, then 60 ×
    // 0.8.
    assertThat(decisions.get(0)).isInstanceOf(TakeSlot.class);
    assertThat(((TakeSlot) decisions.get(0)).event().creditCost()).isEqualTo(60);
    assertThat(decisions.get(1)).isInstanceOf(LeadDecision.TooExpensive.class);
    assertThat(((LeadDecision.TooExpensive) decisions.get(1)).price().creditCost()).isEqualTo(54);
    assertThat(((TakeSlot) decisions.get(2)).event())
        .isEqualTo(new SlotTaken(claimId("c"), "c", NOW, 43, 3, "gold", 1));
    assertThat(((TakeSlot) decisions.get(3)).event())
        .isEqualTo(new SlotTaken(claimId("d"), "d", NOW, 48, 3, null, 2));
  }

  @Test
  void aConfirmedClaimPaysThePriceItsSlotWasTakenAtAndCarriesItsVersion() {
    LeadState held = given(listed(3), takenAt("ann", 48, null, 0));
    assertThat(rules.confirm(held, claimId("ann"), 52, NOW))
        .isEqualTo(new Confirm(new ClaimConfirmed(claimId("ann"), "ann", 48, 52, NOW, 3)));
  }

  @Test
  void eventsStoredBeforePriceListsArePricedAtTheLeadsOwnCost() {
    LeadState old = given(created(10, 3, null), taken("ann"));
    assertThat(old.pending().get("ann").creditCost()).isEqualTo(10);
    assertThat(old.pending().get("ann").pricingVersion()).isZero();
    assertThat(rules.confirm(old, claimId("ann"), 90, NOW))
        .isEqualTo(new Confirm(new ClaimConfirmed(claimId("ann"), "ann", 10, 90, NOW, 0)));
  }

  private static String claimId(String tradieId) {
    return Ids.claimId(LEAD, tradieId);
  }

  private static SlotTaken taken(String tradieId) {
    return new SlotTaken(claimId(tradieId), tradieId, EARLIER);
  }

  private static ClaimConfirmed confirmed(String tradieId, long balanceAfter) {
    return new ClaimConfirmed(claimId(tradieId), tradieId, 10, balanceAfter, EARLIER);
  }

  private static Reject noSlot(String tradieId) {
    return refused(Rejection.NOT_FOUND, "no slot held for claim " + claimId(tradieId));
  }

  private static Reject closed() {
    return refused(Rejection.LEAD_CLOSED, "lead lead-1 is closed");
  }

  private static Reject full() {
    return refused(Rejection.LEAD_FULL, "lead lead-1 has no slot left");
  }

  private static Reject notFound() {
    return refused(Rejection.NOT_FOUND, "no lead lead-1");
  }
}
