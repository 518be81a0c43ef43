package io.leadcredits.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.leadcredits.Limits;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The transaction ids an account has stopped keeping in memory but must still answer (they are
 * younger than the idempotency window): a Bloom filter, so "not in it" is certain and a new id
 * costs no database round trip, while "maybe" sends the id to the journal's index. Immutable: an
 * update copies the slice it changes.
 *
 * <p>Bounded whatever the traffic. Ids go into slices, each four times the size of the one before,
 * so a lookup probes a handful of them and a busy account reaches its whole budget ({@link
 * Limits#transactionFilterBytesMax}) early, in its first million ids, instead of growing through
 * its first hours; the last slice that fits takes all the budget left, and no new one is made after
 * it: it takes every further id. Memory stays put and only the share of "maybe" answers (each id a
 * probe of the journal's index, batched, off the account's path) grows as that slice fills, towards
 * every new id after some hours of a hot account: a bounded filter cannot tell a day of such ids
 * apart. A slice is dropped once its newest id is older than the window, so a quiet account's
 * filter empties by itself.
 *
 * <p>Each slice is a blocked filter: an id's bits all fall in one 512-bit block, one cache line.
 */
public final class TransactionFilter {
  /** Bits set per id; with {@link #bitsPerId} bits an id, the fewest false "maybe" answers. */
  static final int hashes = 8;

  /**
   * A slice's planned load: its capacity is its bits divided by this. A lookup probes every slice,
   * up to nine, so each must say a false "maybe" rarely: about 0.1% at 16 bits an id in one block.
   */
  static final int bitsPerId = 16;

  /** How much larger each slice is than the one before. */
  static final int growth = 4;

  /** The first slice's size; 2^17 bits (16 KiB) hold 8,192 ids at the planned load. */
  static final int firstSliceBits = 1 << 17;

  private static final int blockBits = 512;
  private static final int blockLongs = blockBits / Long.SIZE;

  private static final TransactionFilter empty = new TransactionFilter(List.of());

  /** One filter of a fixed size; {@code newestAt} is when its newest id was used. */
  record Slice(long[] bits, int ids, Instant newestAt) {
    boolean mightContain(long hash) {
      int block = TransactionFilter.block(bits, hash);
      for (int i = 0; i < hashes; i++) {
        int bit = bitInBlock(hash, i);
        if ((bits[block + (bit >>> 6)] & (1L << bit)) == 0) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Slice s
          && ids == s.ids
          && newestAt.equals(s.newestAt)
          && Arrays.equals(bits, s.bits);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bits) * 31 + ids;
    }
  }

  /** Oldest first; only the newest takes ids. */
  private final List<Slice> slices;

  private TransactionFilter(List<Slice> slices) {
    this.slices = List.copyOf(slices);
  }

  public static TransactionFilter empty() {
    return empty;
  }

  /** Whether {@code transactionId} may have been added; false is certain. */
  public boolean mightContain(String transactionId) {
    if (slices.isEmpty()) {
      return false;
    }
    long hash = hash(transactionId);
    for (int s = slices.size() - 1; s >= 0; s--) {
      if (slices.get(s).mightContain(hash)) {
        return true;
      }
    }
    return false;
  }

  /** This filter with {@code ids} added, the newest of them used at {@code newestAt}. */
  public TransactionFilter with(Collection<String> ids, Instant newestAt) {
    if (ids.isEmpty()) {
      return this;
    }
    List<Slice> next = new ArrayList<>(slices);
    Slice newest = next.isEmpty() ? null : next.remove(next.size() - 1);
    long[] bits = newest == null ? new long[firstSliceBits / Long.SIZE] : newest.bits().clone();
    int count = newest == null ? 0 : newest.ids();
    Instant at = newest == null ? newestAt : max(newest.newestAt(), newestAt);
    for (String id : ids) {
      int longs = count >= capacity(bits) ? nextSliceLongs(next, bits) : 0;
      if (longs > 0) {
        next.add(new Slice(bits, count, at));
        bits = new long[longs];
        count = 0;
        at = newestAt;
      }
      set(bits, hash(id));
      count++;
    }
    next.add(new Slice(bits, count, at));
    return new TransactionFilter(next);
  }

  /** This filter without the slices whose every id was used at or before {@code cutoff}. */
  public TransactionFilter retiredBefore(Instant cutoff) {
    List<Slice> kept = slices.stream().filter(s -> s.newestAt().isAfter(cutoff)).toList();
    return kept.size() == slices.size() ? this : new TransactionFilter(kept);
  }

  /** When the oldest slice's newest id was used: nothing retires before that ages out. */
  public Optional<Instant> oldestSliceNewestAt() {
    return slices.stream().map(Slice::newestAt).min(Instant::compareTo);
  }

  /** The filter's size in memory, about: its bits. */
  public long bytes() {
    return slices.stream().mapToLong(s -> (long) s.bits().length * Long.BYTES).sum();
  }

  /** Ids added to the slices still kept. */
  public long ids() {
    return slices.stream().mapToLong(Slice::ids).sum();
  }

  public boolean isEmpty() {
    return slices.isEmpty();
  }

  /** A 64-bit hash of the id's characters (FNV-1a, then a finalizer that spreads every bit). */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  private static int capacity(long[] bits) {
    return bits.length * Long.SIZE / bitsPerId;
  }

  /**
   * The size in longs of the slice after {@code newest}, 0 when none fits: {@link #growth} times
   * the newest, or, when that one will be the last that fits, all the budget left, so the slice
   * that takes every further id is as large as the budget allows.
   */
  static int nextSliceLongs(List<Slice> older, long[] newest) {
    long room = Limits.transactionFilterBytesMax / Long.BYTES - newest.length;
    for (Slice s : older) {
      room -= s.bits().length;
    }
    long grown = (long) newest.length * growth;
    if (room < grown) {
      return 0;
    }
    long longs = room - grown < grown * growth ? room : grown;
    return (int) (longs / blockLongs * blockLongs);
  }

  private static void set(long[] bits, long hash) {
    int block = block(bits, hash);
    for (int i = 0; i < hashes; i++) {
      int bit = bitInBlock(hash, i);
      bits[block + (bit >>> 6)] |= 1L << bit;
    }
  }

  /** The first long of the id's block, from the high half of the hash. */
  private static int block(long[] bits, long hash) {
    int blocks = bits.length / blockLongs;
    return (int) Long.remainderUnsigned(hash >>> 32, blocks) * blockLongs;
  }

  /**
   * The i-th bit of the id in its block (double hashing): from the low half of the hash and from a
   * remix of it, so neither depends on the bits that chose the block.
   */
  private static int bitInBlock(long hash, int i) {
    int h1 = (int) hash;
    int h2 = (int) ((hash * 0x9E3779B97F4A7C15L) >>> 32) | 1;
    return (h1 + i * h2) & (blockBits - 1);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactionFilter f && slices.equals(f.slices);
  }

  @Override
  public int hashCode() {
    return slices.hashCode();
  }

  @Override
  public String toString() {
    return "TransactionFilter[slices="
        + slices.size()
        + ", ids="
        + ids()
        + ", bytes="
        + bytes()
        + "]";
  }

  // ---- snapshots: each slice's bits as base64 of big-endian longs
  // --------------------------------

  /** A slice as a snapshot stores it. */
  public record StoredSlice(byte[] bits, int ids, Instant newestAt) {}

  @JsonValue
  List<StoredSlice> stored() {
    List<StoredSlice> out = new ArrayList<>(slices.size());
    for (Slice s : slices) {
      ByteBuffer buf = ByteBuffer.allocate(s.bits().length * Long.BYTES);
      buf.asLongBuffer().put(s.bits());
      out.add(new StoredSlice(buf.array(), s.ids(), s.newestAt()));
    }
    return out;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static TransactionFilter fromStored(List<StoredSlice> stored) {
    if (stored == null || stored.isEmpty()) {
      return empty;
    }
    List<Slice> slices = new ArrayList<>(stored.size());
    for (StoredSlice s : stored) {
      long[] bits = new long[s.bits().length / Long.BYTES];
      ByteBuffer.wrap(s.bits()).asLongBuffer().get(bits);
      slices.add(new Slice(bits, s.ids(), s.newestAt()));
    }
    return new TransactionFilter(slices);
  }
}
