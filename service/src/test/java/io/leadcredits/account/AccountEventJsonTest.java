package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.support.EntityTestKits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The account's events as the journal stores them: each kind is written exactly as this text and
 * the stored text loads back into the same event. The type an event reports ({@link
 * AccountEvent#type()}) is not stored; the event's name says it.
 */
class AccountEventJsonTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EntityTestKits.config());
  private static final Instant at = Instant.parse("2026-01-01T00:00:00Z");
  private static final AccountEvent.Entry entry =
      new AccountEvent.Entry("t1", 5, 10, 15, 1, 2, at, Map.of("k", "v"));
  private static final String entryJson =
      "\"entry\":{\"transactionId\":\"t1\",\"amount\":5,\"balanceBefore\":10,\"balanceAfter\":15,"
          + "\"reservedBefore\":1,\"reservedAfter\":2,\"at\":\"2026-01-01T00:00:00Z\","
          + "\"metadata\":{\"k\":\"v\"}}";

  private record Stored(AccountEvent event, TransactionType type, String json) {}

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /**
   * A snapshot keeps the live grants and each hold's earmarks; a snapshot written before grants
   * (neither) loads as one legacy grant that the open holds earmarked.
   */
  @Test
  void aSnapshotKeepsItsGrantsAndOneFromBeforeGrantsReadsAsTheLegacyGrant() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system());
    AccountState s = AccountState.empty();
    s =
        s.apply(
            new AccountEvent.Credited(
                new AccountEvent.Entry("p", 100, 0, 100, 0, 0, at, Map.of()),
                "f",
                GrantTerms.DEFAULT));
    s =
        s.apply(
            new AccountEvent.Credited(
                new AccountEvent.Entry("b", 20, 100, 120, 0, 0, at, Map.of()),
                "f",
                new GrantTerms(GrantCategory.PROMOTIONAL, at.plusSeconds(3600), 50, null)));
    s =
        s.apply(
            new AccountEvent.Reserved(
                new AccountEvent.Entry("h", 30, 120, 120, 0, 30, at, Map.of()),
                "f",
                at.plusSeconds(60),
                List.of(new GrantAmount("b", 20), new GrantAmount("p", 10))));
    Serializer serializer = serialization.findSerializerFor(s);
    String manifest = Serializers.manifestFor(serializer, s);
    byte[] written = serialization.serialize(s).get();
    Object loaded = serialization.deserialize(written, serializer.identifier(), manifest).get();
    assertThat(loaded).isEqualTo(s);

    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode old =
        (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(written);
    assertThat(old.has("grants")).isTrue();
    old.remove("grants");
    assertThat(old.get("lowBalanceThreshold").asLong()).isZero();
    old.remove("lowBalanceThreshold"); // snapshots from before alerts have none
    old.get("holds")
        .forEach(h -> ((com.fasterxml.jackson.databind.node.ObjectNode) h).remove("earmarks"));
    AccountState before =
        (AccountState)
            serialization
                .deserialize(mapper.writeValueAsBytes(old), serializer.identifier(), manifest)
                .get();
    assertThat(before.grants().list())
        .containsExactly(
            new Grant(Grant.LEGACY_ID, GrantCategory.PAID, 120, 90, 30, null, 50, null, 0, null));
    assertThat(before.hold("h").orElseThrow().earmarks())
        .containsExactly(new GrantAmount(Grant.LEGACY_ID, 30));
  }

  /** A snapshot keeps the low-balance threshold. */
  @Test
  void aSnapshotKeepsTheLowBalanceThreshold() {
    Serialization serialization = SerializationExtension.get(testKit.system());
    AccountState s =
        AccountState.empty()
            .apply(
                new AccountEvent.Credited(
                    new AccountEvent.Entry("p", 100, 0, 100, 0, 0, at, Map.of()),
                    "f",
                    GrantTerms.DEFAULT))
            .apply(
                new AccountEvent.AlertsChanged(
                    new AccountEvent.Entry("~alerts", 0, 100, 100, 0, 0, at, Map.of()), 40));
    Serializer serializer = serialization.findSerializerFor(s);
    String manifest = Serializers.manifestFor(serializer, s);
    byte[] written = serialization.serialize(s).get();
    AccountState loaded =
        (AccountState) serialization.deserialize(written, serializer.identifier(), manifest).get();
    assertThat(loaded).isEqualTo(s);
    assertThat(loaded.lowBalanceThreshold()).isEqualTo(40);
  }

  @Test
  void everyKindOfEventIsStoredAsBeforeAndLoadsBack() {
    Serialization serialization = SerializationExtension.get(testKit.system());
    List<Stored> kinds =
        List.of(
            new Stored(
                new AccountEvent.Credited(entry, "f"),
                TransactionType.CREDIT,
                "{\"event\":\"credited\"," + entryJson + ",\"fingerprint\":\"f\"}"),
            new Stored(
                new AccountEvent.Debited(entry, "f"),
                TransactionType.DEBIT,
                "{\"event\":\"debited\"," + entryJson + ",\"fingerprint\":\"f\"}"),
            new Stored(
                new AccountEvent.Reserved(entry, "f", at),
                TransactionType.RESERVE,
                "{\"event\":\"reserved\","
                    + entryJson
                    + ",\"fingerprint\":\"f\",\"expiresAt\":\"2026-01-01T00:00:00Z\"}"),
            new Stored(
                new AccountEvent.Captured(entry),
                TransactionType.CAPTURE,
                "{\"event\":\"captured\"," + entryJson + "}"),
            new Stored(
                new AccountEvent.Released(entry),
                TransactionType.RELEASE,
                "{\"event\":\"released\"," + entryJson + "}"),
            new Stored(
                new AccountEvent.Expired(entry),
                TransactionType.EXPIRE,
                "{\"event\":\"expired\"," + entryJson + "}"),
            // Since grants: the same events with the grant data they carry now.
            new Stored(
                new AccountEvent.Credited(entry, "f", GrantTerms.DEFAULT),
                TransactionType.CREDIT,
                "{\"event\":\"credited\","
                    + entryJson
                    + ",\"fingerprint\":\"f\",\"grant\":{\"category\":\"paid\",\"priority\":50}}"),
            new Stored(
                new AccountEvent.Credited(
                    entry,
                    "f",
                    new GrantTerms(
                        GrantCategory.PROMOTIONAL, at, 10, new GrantTerms.Price(1500, "AUD"))),
                TransactionType.CREDIT,
                "{\"event\":\"credited\","
                    + entryJson
                    + ",\"fingerprint\":\"f\",\"grant\":{\"category\":\"promotional\","
                    + "\"expiresAt\":\"2026-01-01T00:00:00Z\",\"priority\":10,"
                    + "\"price\":{\"amountMinor\":1500,\"currency\":\"AUD\"}}}"),
            new Stored(
                new AccountEvent.Debited(entry, "f", List.of(new GrantAmount("g1", 5))),
                TransactionType.DEBIT,
                "{\"event\":\"debited\","
                    + entryJson
                    + ",\"fingerprint\":\"f\",\"grants\":[{\"grantId\":\"g1\",\"amount\":5}]}"),
            new Stored(
                new AccountEvent.Reserved(entry, "f", at, List.of(new GrantAmount("g1", 5))),
                TransactionType.RESERVE,
                "{\"event\":\"reserved\","
                    + entryJson
                    + ",\"fingerprint\":\"f\",\"expiresAt\":\"2026-01-01T00:00:00Z\","
                    + "\"grants\":[{\"grantId\":\"g1\",\"amount\":5}]}"),
            new Stored(
                new AccountEvent.Captured(entry, List.of(new GrantAmount("g1", 5))),
                TransactionType.CAPTURE,
                "{\"event\":\"captured\","
                    + entryJson
                    + ",\"grants\":[{\"grantId\":\"g1\",\"amount\":5}]}"),
            new Stored(
                new AccountEvent.GrantExpired(entry, "g1"),
                TransactionType.GRANT_EXPIRED,
                "{\"event\":\"grant_expired\"," + entryJson + ",\"grantId\":\"g1\"}"),
            new Stored(
                new AccountEvent.GrantVoided(entry, "g1", "chargeback", "f"),
                TransactionType.GRANT_VOIDED,
                "{\"event\":\"grant_voided\","
                    + entryJson
                    + ",\"grantId\":\"g1\",\"reason\":\"chargeback\",\"fingerprint\":\"f\"}"),
            new Stored(
                new AccountEvent.GrantVoided(entry, "g1", null, null),
                TransactionType.GRANT_VOIDED,
                "{\"event\":\"grant_voided\"," + entryJson + ",\"grantId\":\"g1\"}"),
            // Since alerts: a change that fell below the threshold says so in its entry, and a
            // change of the setting moves nothing.
            new Stored(
                new AccountEvent.Debited(
                    new AccountEvent.Entry("t1", 5, 10, 15, 1, 2, at, Map.of("k", "v"), 20L), "f"),
                TransactionType.DEBIT,
                "{\"event\":\"debited\","
                    + entryJson.substring(0, entryJson.length() - 1)
                    + ",\"lowBalance\":20},\"fingerprint\":\"f\"}"),
            new Stored(
                new AccountEvent.AlertsChanged(
                    new AccountEvent.Entry("~alerts", 0, 10, 10, 1, 1, at, Map.of()), 100),
                TransactionType.ALERTS_CHANGED,
                "{\"event\":\"alerts_changed\",\"entry\":{\"transactionId\":\"~alerts\","
                    + "\"amount\":0,\"balanceBefore\":10,\"balanceAfter\":10,"
                    + "\"reservedBefore\":1,\"reservedAfter\":1,"
                    + "\"at\":\"2026-01-01T00:00:00Z\",\"metadata\":{}},"
                    + "\"lowBalanceThreshold\":100}"));
    for (Stored kind : kinds) {
      Serializer serializer = serialization.findSerializerFor(kind.event());
      String manifest = Serializers.manifestFor(serializer, kind.event());
      byte[] written = serialization.serialize(kind.event()).get();
      assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(kind.json());
      Object loaded =
          serialization
              .deserialize(
                  kind.json().getBytes(StandardCharsets.UTF_8), serializer.identifier(), manifest)
              .get();
      assertThat(loaded).isEqualTo(kind.event());
      assertThat(((AccountEvent) loaded).type()).isEqualTo(kind.type());
    }
  }
}
