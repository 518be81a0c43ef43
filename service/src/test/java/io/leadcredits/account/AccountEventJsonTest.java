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
                "{\"event\":\"expired\"," + entryJson + "}"));
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
