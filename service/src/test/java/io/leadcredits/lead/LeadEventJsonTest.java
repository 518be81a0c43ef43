package io.leadcredits.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.pricing.JobSize;
import io.leadcredits.pricing.PriceList;
import io.leadcredits.pricing.PricingEvent;
import io.leadcredits.support.EntityTestKits;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A lead's events as the journal stores them: those stored before prices (without the fields prices
 * added) still load, at the lead's own cost and no version; priced ones round-trip; and the
 * pricing's events round-trip with their exact decimals.
 */
class LeadEventJsonTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EntityTestKits.config());
  private static final Instant at = Instant.parse("2026-01-01T00:00:00Z");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Object load(Object like, String json) {
    Serialization serialization = SerializationExtension.get(testKit.system());
    Serializer serializer = serialization.findSerializerFor(like);
    String manifest = Serializers.manifestFor(serializer, like);
    return serialization
        .deserialize(json.getBytes(StandardCharsets.UTF_8), serializer.identifier(), manifest)
        .get();
  }

  private static Object roundTrip(Object event) {
    Serialization serialization = SerializationExtension.get(testKit.system());
    byte[] bytes = serialization.serialize(event).get();
    return load(event, new String(bytes, StandardCharsets.UTF_8));
  }

  @Test
  void eventsStoredBeforePricesLoadAtTheLeadsOwnCost() {
    LeadEvent created =
        (LeadEvent)
            load(
                new LeadEvent.LeadCreated(10, 3, null, at),
                "{\"event\":\"lead-created\",\"creditCost\":10,\"maxClaims\":3,\"expiresAt\":null,"
                    + "\"at\":\"2026-01-01T00:00:00Z\"}");
    assertThat(created).isEqualTo(new LeadEvent.LeadCreated(10, 3, null, at));
    LeadEvent taken =
        (LeadEvent)
            load(
                new LeadEvent.SlotTaken("c1", "ann", at),
                "{\"event\":\"slot-taken\",\"claimId\":\"c1\",\"tradieId\":\"ann\","
                    + "\"at\":\"2026-01-01T00:00:00Z\"}");
    assertThat(taken).isEqualTo(new LeadEvent.SlotTaken("c1", "ann", at));
    LeadEvent confirmed =
        (LeadEvent)
            load(
                new LeadEvent.ClaimConfirmed("c1", "ann", 10, 90, at),
                "{\"event\":\"claim-confirmed\",\"claimId\":\"c1\",\"tradieId\":\"ann\","
                    + "\"creditsUsed\":10,\"balanceAfter\":90,\"at\":\"2026-01-01T00:00:00Z\"}");
    LeadState state = LeadState.empty().apply(created).apply(taken).apply(confirmed);
    assertThat(state.confirmed().get(0).creditsUsed()).isEqualTo(10);
    assertThat(state.confirmed().get(0).pricingVersion()).isZero();
  }

  @Test
  void aVoidsEventsAndAVoidedLeadsSnapshotRoundTripAndOlderSnapshotsLoadNotVoided() {
    LeadEvent voided = new LeadEvent.LeadVoided("fake", "ops", at, 1);
    LeadEvent refunded = new LeadEvent.VoidRefunded("c1", at);
    assertThat(roundTrip(voided)).isEqualTo(voided);
    assertThat(roundTrip(refunded)).isEqualTo(refunded);
    LeadState state =
        LeadState.empty()
            .apply(new LeadEvent.LeadCreated(10, 3, null, at))
            .apply(new LeadEvent.SlotTaken("c1", "ann", at))
            .apply(new LeadEvent.ClaimConfirmed("c1", "ann", 10, 90, at))
            .apply(new LeadEvent.SlotTaken("c2", "bob", at))
            .apply(new LeadEvent.ClaimConfirmed("c2", "bob", 10, 90, at))
            .apply(voided)
            .apply(refunded);
    LeadState back = (LeadState) roundTrip(state);
    assertThat(back).isEqualTo(state);
    assertThat(back.refundsOwed()).extracting(LeadState.Confirmed::claimId).containsExactly("c2");
    // A snapshot written before voids has neither field.
    LeadState older =
        (LeadState)
            load(
                state,
                "{\"created\":true,\"creditCost\":10,\"maxClaims\":3,\"expiresAt\":null,"
                    + "\"closedAt\":null,\"pending\":{},\"confirmed\":[],\"version\":1}");
    assertThat(older.voided()).isNull();
    assertThat(older.refunded()).isEmpty();
    assertThat(older.statusAt(at)).isEqualTo(LeadStatus.OPEN);
  }

  @Test
  void pricedEventsAndThePricingsEventsRoundTrip() {
    LeadEvent created =
        new LeadEvent.LeadCreated(0, 3, null, at, "plumbing", "NSW-2000", JobSize.LARGE);
    LeadEvent taken = new LeadEvent.SlotTaken("c1", "ann", at, 38, 4, "gold", 2);
    LeadEvent confirmed = new LeadEvent.ClaimConfirmed("c1", "ann", 38, 62, at, 4);
    assertThat(roundTrip(created)).isEqualTo(created);
    assertThat(roundTrip(taken)).isEqualTo(taken);
    assertThat(roundTrip(confirmed)).isEqualTo(confirmed);
    PriceList list =
        new PriceList(
            new PriceList.Base(10, new TreeMap<>(Map.of("plumbing", 20L))),
            new TreeMap<>(Map.of("NSW-2000", new BigDecimal("1.5"))),
            Map.of(JobSize.LARGE, new BigDecimal("2")),
            new TreeMap<>(Map.of("gold", new BigDecimal("0.8"))),
            new PriceList.Competition(new BigDecimal("-0.1"), new BigDecimal("0.5")),
            1,
            RoundingMode.HALF_EVEN);
    PricingEvent changed = new PricingEvent.PriceListChanged(2, 1, list, "ops", at);
    assertThat(roundTrip(changed)).isEqualTo(changed);
    PricingEvent tier = new PricingEvent.TierChanged("ann", "gold", null, "ops", at);
    assertThat(roundTrip(tier)).isEqualTo(tier);
  }
}
