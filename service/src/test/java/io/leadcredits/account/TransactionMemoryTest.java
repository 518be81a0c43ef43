package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.leadcredits.account.AccountState.HoldEnd;
import io.leadcredits.account.AccountState.TxRecord;
import io.leadcredits.support.EntityTestKits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The memory of transactions against a plain map: random new transactions, hold ends, lookups of
 * known and unknown ids and forgetting, over enough ids to seal, merge and reach the merge bound.
 */
class TransactionMemoryTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EntityTestKits.config());
  private static final Instant start = Instant.parse("2026-01-01T00:00:00.000000123Z");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void remembersWhatAMapWouldOverHundredsOfThousandsOfIds() {
    Random random = new Random(20261205);
    TransactionMemory memory = TransactionMemory.empty();
    Map<String, TxRecord> model = new HashMap<>();
    Set<String> open = new HashSet<>();
    List<String> openList = new ArrayList<>();
    int ids = 2 * TransactionMemory.mergedMax + 3 * TransactionMemory.sealAt + 17;
    for (int n = 0; n < ids; n++) {
      Instant at = start.plusMillis(n);
      String id = "tx-" + n;
      TxRecord record = new TxRecord("DEBIT|" + (n % 3) + "||{}", n, at, null, 0);
      memory = memory.updated(id, record);
      model.put(id, record);
      if (random.nextInt(4) == 0) {
        open.add(id);
        openList.add(id);
      }
      if (!openList.isEmpty() && random.nextInt(5) == 0) {
        String ending = openList.remove(random.nextInt(openList.size()));
        open.remove(ending);
        TxRecord ended = model.get(ending).ended(HoldEnd.values()[n % 3], -n);
        memory = memory.updated(ending, ended);
        model.put(ending, ended);
      }
      String known = "tx-" + random.nextInt(n + 1);
      assertThat(memory.get(known)).isEqualTo(Optional.ofNullable(model.get(known)));
      assertThat(memory.get("unknown-" + n)).isEmpty();
      if (n % 100_000 == 99_999) {
        // The oldest tenth: forgetting reaches into sealed and merged segments, not all of them.
        Instant cutoff = start.plusMillis(n / 10);
        memory = memory.forgetBefore(cutoff, open::contains);
        model
            .entrySet()
            .removeIf(e -> !e.getValue().at().isAfter(cutoff) && !open.contains(e.getKey()));
        assertThat(asMap(memory)).isEqualTo(model);
      }
      assertThat(memory.size()).isEqualTo(model.size());
    }
    assertThat(asMap(memory)).isEqualTo(model);
    assertThat(memory.oldestAt())
        .contains(model.values().stream().map(TxRecord::at).min(Instant::compareTo).orElseThrow());
    assertThat(memory).isEqualTo(TransactionMemory.of(model));
  }

  @Test
  void forgettingKeepsOpenHoldsAndEverythingNewerThanTheCutoff() {
    TransactionMemory memory = TransactionMemory.empty();
    for (int n = 0; n < TransactionMemory.sealAt * 3; n++) {
      memory =
          memory.updated("t" + n, new TxRecord("CREDIT|1||{}", n, start.plusSeconds(n), null, 0));
    }
    Instant cutoff = start.plusSeconds(TransactionMemory.sealAt * 2);
    TransactionMemory kept = memory.forgetBefore(cutoff, id -> id.equals("t7"));

    assertThat(kept.size()).isEqualTo(TransactionMemory.sealAt - 1 + 1);
    assertThat(kept.get("t7")).isPresent();
    assertThat(kept.get("t8")).isEmpty();
    assertThat(kept.get("t" + (TransactionMemory.sealAt * 2))).isEmpty();
    assertThat(kept.get("t" + (TransactionMemory.sealAt * 2 + 1))).isPresent();
    assertThat(kept.oldestAt()).contains(start.plusSeconds(7));
    assertThat(memory.size())
        .as("the memory forgotten from is unchanged")
        .isEqualTo(TransactionMemory.sealAt * 3);
  }

  @Test
  void aSnapshotOfTheStateListsEveryRememberedIdOnceAndReadsBackEqual() throws Exception {
    TransactionMemory memory = TransactionMemory.empty();
    for (int n = 0; n < TransactionMemory.sealAt + 10; n++) {
      memory =
          memory.updated(
              "r" + n, new TxRecord("RESERVE|2||{}", 100, start.plusSeconds(n), null, 0));
    }
    // The opening is sealed in a segment, the end is in the newer map: one id, two layers.
    memory = memory.updated("r3", memory.get("r3").orElseThrow().ended(HoldEnd.CAPTURED, 98));
    AccountState state = new AccountState(98, 0, AccountState.emptyMap(), memory, 9);

    Serialization serialization = SerializationExtension.get(testKit.system());
    byte[] bytes = serialization.serialize(state).get();
    var serializer = serialization.findSerializerFor(state);
    Object read =
        serialization
            .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, state))
            .get();

    String json = json(state);
    assertThat(json.split("\"r3\"", -1)).as("r3 listed once").hasSize(2);
    assertThat(read).isEqualTo(state);
    assertThat(((AccountState) read).transaction("r3").orElseThrow().holdEnd())
        .isEqualTo(HoldEnd.CAPTURED);
  }

  @Test
  void aSnapshotWrittenWithGzipStillReadsNowThatLargeOnesAreLz4() throws Exception {
    TransactionMemory memory = TransactionMemory.empty();
    for (int n = 0; n < 2_000; n++) {
      memory =
          memory.updated("g" + n, new TxRecord("DEBIT|1||{}", n, start.plusSeconds(n), null, 0));
    }
    AccountState state = new AccountState(1, 0, AccountState.emptyMap(), memory, 2_000);
    ActorTestKit gzipKit =
        ActorTestKit.create(
            ConfigFactory.parseString(
                    "pekko.serialization.jackson.jackson-json.compression.algorithm = gzip")
                .withFallback(EntityTestKits.config()));
    try {
      Serialization gzip = SerializationExtension.get(gzipKit.system());
      var serializer = gzip.findSerializerFor(state);
      String manifest = Serializers.manifestFor(serializer, state);
      byte[] old = gzip.serialize(state).get();
      assertThat(old).startsWith((byte) 0x1f, (byte) 0x8b);

      Serialization current = SerializationExtension.get(testKit.system());
      byte[] now = current.serialize(state).get();
      assertThat(Arrays.copyOf(now, 2)).as("not gzip").isNotEqualTo(Arrays.copyOf(old, 2));
      assertThat(now.length).as("compressed").isLessThan(json(state).length() / 2);
      assertThat(current.deserialize(old, serializer.identifier(), manifest).get())
          .isEqualTo(state);
    } finally {
      gzipKit.shutdownTestKit();
    }
  }

  private static String json(AccountState state) throws Exception {
    return JacksonObjectMapperProvider.get(testKit.system())
        .getOrCreate("jackson-json", Optional.empty())
        .writeValueAsString(state);
  }

  private static Map<String, TxRecord> asMap(TransactionMemory memory) {
    Map<String, TxRecord> map = new HashMap<>();
    memory.forEach((id, tx) -> assertThat(map.put(id, tx)).as("listed once: " + id).isNull());
    return map;
  }
}
