package io.leadcredits.account;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.leadcredits.Limits;
import io.leadcredits.account.AccountState.TxRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The transactions an account remembers in memory for idempotency, by transaction id: immutable,
 * each change a new memory sharing what did not change. A hot account goes through tens of
 * thousands of ids a minute, and most are never looked at again; kept as objects in a persistent
 * map they were copied by every young collection until old enough to be promoted, and those copies
 * were the pauses in a hot account's tail latency. So only the newest ids live in a small
 * persistent map; every {@link #sealAt} of them are sealed into a {@link TransactionSegment}
 * (arrays, no object per id), and segments of similar size merge up to {@link #mergedMax}, so each
 * id is copied a few times in its life. The oldest segment is the one that leaves memory when the
 * account keeps too many ids ({@link #evictOldest}). A newer layer shadows an older one: a hold's
 * end is written to the newest layer while its opening may sit in a segment until the two merge.
 */
@JsonSerialize(using = TransactionMemory.Writer.class)
@JsonDeserialize(using = TransactionMemory.Reader.class)
public final class TransactionMemory {
  /** Ids in the persistent map before they are sealed: small enough to update cheaply. */
  static final int sealAt = 4096;

  /**
   * Records in a segment made by merging, at most: a quarter of the ids an account keeps in memory
   * by default, so leaving memory a segment at a time ({@link #evictOldest}) takes at most a
   * quarter of them, and a merge takes the account well under a millisecond.
   */
  static final int mergedMax = Limits.transactionsInMemoryDefault / 4;

  private static final TransactionSegment[] noSegments = new TransactionSegment[0];
  private static final TransactionMemory empty =
      new TransactionMemory(AccountState.emptyMap(), noSegments, 0);

  private final scala.collection.immutable.HashMap<String, TxRecord> recent;

  /** Oldest first. */
  private final TransactionSegment[] segments;

  private final int size;

  private TransactionMemory(
      scala.collection.immutable.HashMap<String, TxRecord> recent,
      TransactionSegment[] segments,
      int size) {
    this.recent = recent;
    this.segments = segments;
    this.size = size;
  }

  public static TransactionMemory empty() {
    return empty;
  }

  /** A memory holding these records, as a snapshot lists them. */
  public static TransactionMemory of(Map<String, TxRecord> records) {
    if (records.size() < sealAt) {
      var recent = AccountState.<TxRecord>emptyMap();
      for (var e : records.entrySet()) {
        recent = recent.updated(e.getKey(), e.getValue());
      }
      return new TransactionMemory(recent, noSegments, records.size());
    }
    var all = AccountState.<TxRecord>emptyMap();
    for (var e : records.entrySet()) {
      all = all.updated(e.getKey(), e.getValue());
    }
    return new TransactionMemory(
        AccountState.emptyMap(),
        new TransactionSegment[] {TransactionSegment.of(all)},
        records.size());
  }

  /** How many distinct transaction ids are remembered. */
  public int size() {
    return size;
  }

  public Optional<TxRecord> get(String transactionId) {
    return Optional.ofNullable(find(transactionId, segments.length));
  }

  /** This memory with {@code record} as what is remembered of {@code transactionId}. */
  public TransactionMemory updated(String transactionId, TxRecord record) {
    int newSize = find(transactionId, segments.length) == null ? size + 1 : size;
    var newRecent = recent.updated(transactionId, record);
    if (newRecent.size() < sealAt) {
      return new TransactionMemory(newRecent, segments, newSize);
    }
    return new TransactionMemory(AccountState.emptyMap(), sealed(newRecent), newSize);
  }

  /**
   * This memory without the transactions at or before {@code cutoff}, except those {@code kept}.
   * Every record of one id has the time of the transaction, so each layer can be filtered alone;
   * segments newer than the cutoff, nearly all of them, are shared as they are.
   */
  public TransactionMemory forgetBefore(Instant cutoff, Predicate<String> kept) {
    long cutoffNanos = nanos(cutoff);
    int[] newSize = {size};
    List<TransactionSegment> newTransactionSegments = new ArrayList<>(segments.length);
    for (int s = 0; s < segments.length; s++) {
      TransactionSegment seg = segments[s];
      int layer = s;
      TransactionSegment left =
          seg.minAtNanos() > cutoffNanos
              ? seg
              : seg.filtered(
                  i -> {
                    if (seg.atNanos(i) > cutoffNanos || kept.test(seg.id(i))) {
                      return true;
                    }
                    if (!inNewer(seg, i, layer)) {
                      newSize[0]--;
                    }
                    return false;
                  });
      if (left != null) {
        newTransactionSegments.add(left);
      }
    }
    var newRecent = recent;
    var it = recent.iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (nanos(e._2().at()) <= cutoffNanos && !kept.test(e._1())) {
        newRecent = newRecent.removed(e._1());
        newSize[0]--;
      }
    }
    return new TransactionMemory(newRecent, newTransactionSegments.toArray(noSegments), newSize[0]);
  }

  /** What {@link #evictOldest} took out of memory, and when the newest of it happened. */
  public record Eviction(TransactionMemory memory, List<String> ids, Instant newestAt) {}

  /**
   * This memory without its oldest layer (the recent map, sealed first, when there is no segment).
   * Returns the ids that left memory: those of the layer that no newer layer has and {@code kept}
   * does not keep; the kept ones move to the newest layer.
   */
  public Eviction evictOldest(Predicate<String> kept) {
    TransactionMemory m =
        segments.length > 0 || recent.isEmpty()
            ? this
            : new TransactionMemory(
                AccountState.emptyMap(),
                new TransactionSegment[] {TransactionSegment.of(recent)},
                size);
    if (m.segments.length == 0) {
      return new Eviction(this, List.of(), null);
    }
    TransactionSegment oldest = m.segments[0];
    List<String> gone = new ArrayList<>();
    var newRecent = m.recent;
    long newestNanos = Long.MIN_VALUE;
    for (int i = 0; i < oldest.size(); i++) {
      if (m.inNewer(oldest, i, 0)) {
        continue;
      }
      String id = oldest.id(i);
      if (kept.test(id)) {
        newRecent = newRecent.updated(id, oldest.record(i));
      } else {
        gone.add(id);
        newestNanos = Math.max(newestNanos, oldest.atNanos(i));
      }
    }
    TransactionMemory left =
        new TransactionMemory(
            newRecent, Arrays.copyOfRange(m.segments, 1, m.segments.length), size - gone.size());
    return new Eviction(left, gone, gone.isEmpty() ? null : instant(newestNanos));
  }

  /** When the oldest remembered transaction happened. */
  public Optional<Instant> oldestAt() {
    long oldest = Long.MAX_VALUE;
    for (TransactionSegment seg : segments) {
      oldest = Math.min(oldest, seg.minAtNanos());
    }
    var it = recent.valuesIterator();
    while (it.hasNext()) {
      oldest = Math.min(oldest, nanos(it.next().at()));
    }
    return oldest == Long.MAX_VALUE ? Optional.empty() : Optional.of(instant(oldest));
  }

  /** Each remembered id with what is remembered of it, once, newest layer first. */
  public void forEach(BiConsumer<String, TxRecord> action) {
    var it = recent.iterator();
    while (it.hasNext()) {
      var e = it.next();
      action.accept(e._1(), e._2());
    }
    for (int s = segments.length - 1; s >= 0; s--) {
      TransactionSegment seg = segments[s];
      for (int i = 0; i < seg.size(); i++) {
        if (!inNewer(seg, i, s)) {
          action.accept(seg.id(i), seg.record(i));
        }
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof TransactionMemory other) || other.size != size) {
      return false;
    }
    boolean[] same = {true};
    forEach((id, tx) -> same[0] &= tx.equals(other.find(id, other.segments.length)));
    return same[0];
  }

  @Override
  public int hashCode() {
    int[] h = {0};
    forEach((id, tx) -> h[0] += id.hashCode() ^ tx.hashCode());
    return h[0];
  }

  @Override
  public String toString() {
    return "TransactionMemory[size=" + size + ", segments=" + segments.length + "]";
  }

  /** The newest record of {@code id} in the recent map or the segments before {@code below}. */
  private TxRecord find(String id, int below) {
    if (below == segments.length) {
      scala.Option<TxRecord> found = recent.get(id);
      if (found.isDefined()) {
        return found.get();
      }
    }
    if (below == 0) {
      return null;
    }
    byte[] key = TransactionSegment.utf8(id);
    for (int s = below - 1; s >= 0; s--) {
      int i = segments[s].indexOf(id, key);
      if (i >= 0) {
        return segments[s].record(i);
      }
    }
    return null;
  }

  /** Whether a layer newer than segment {@code s} remembers the id at {@code i} of it. */
  private boolean inNewer(TransactionSegment seg, int i, int s) {
    for (int n = s + 1; n < segments.length; n++) {
      if (segments[n].indexOf(seg, i) >= 0) {
        return true;
      }
    }
    return recent.contains(seg.id(i));
  }

  /**
   * The segments with {@code full} sealed onto them, then merged while the older is no bigger, up
   * to {@link #mergedMax}: merging is the account's work between two commands, so it is bounded.
   */
  private TransactionSegment[] sealed(scala.collection.immutable.HashMap<String, TxRecord> full) {
    TransactionSegment[] out = Arrays.copyOf(segments, segments.length + 1);
    out[segments.length] = TransactionSegment.of(full);
    int n = out.length;
    while (n >= 2
        && out[n - 2].size() <= out[n - 1].size()
        && out[n - 2].size() + out[n - 1].size() <= mergedMax) {
      out[n - 2] = TransactionSegment.merged(out[n - 2], out[n - 1]);
      n--;
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  static long nanos(Instant at) {
    return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  /** Snapshots list the memory as a JSON object of id to record, as they always have. */
  static final class Writer extends JsonSerializer<TransactionMemory> {
    @Override
    public void serialize(TransactionMemory memory, JsonGenerator json, SerializerProvider provider)
        throws IOException {
      json.writeStartObject();
      IOException[] failed = {null};
      memory.forEach(
          (id, tx) -> {
            if (failed[0] == null) {
              try {
                json.writeFieldName(id);
                provider.defaultSerializeValue(tx, json);
              } catch (IOException e) {
                failed[0] = e;
              }
            }
          });
      if (failed[0] != null) {
        throw failed[0];
      }
      json.writeEndObject();
    }
  }

  static final class Reader extends JsonDeserializer<TransactionMemory> {
    @Override
    public TransactionMemory deserialize(JsonParser json, DeserializationContext context)
        throws IOException {
      Map<String, TxRecord> records =
          context.readValue(
              json,
              context
                  .getTypeFactory()
                  .constructMapType(LinkedHashMap.class, String.class, TxRecord.class));
      return of(records);
    }
  }
}
