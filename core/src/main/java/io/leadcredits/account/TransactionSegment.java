package io.leadcredits.account;

import io.leadcredits.account.AccountState.HoldEnd;
import io.leadcredits.account.AccountState.TxRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Sealed records of {@link TransactionMemory} in columns of plain arrays, with an open-addressing
 * index over the ids: a few objects per segment, none per record, so the records cost a young
 * collection nothing once sealed. The ids are packed as UTF-8 into one array. Never changed once
 * built. Equal fingerprints share one string: a hot account's requests mostly look alike.
 */
final class TransactionSegment {
  private static final HoldEnd[] ends = HoldEnd.values();

  private byte[] idBytes;

  /** Where each id's bytes end in {@link #idBytes}; it starts where the one before ends. */
  private int[] idEnd;

  private int[] hashes;
  private String[] fingerprints;
  private long[] balanceAfter;
  private long[] atNanos;
  private long[] endBalanceAfter;

  /** The hold's end's ordinal plus one; 0 while open or for a transaction that is no hold. */
  private byte[] holdEnd;

  /** Index into the columns plus one, 0 for a free slot; at most half full. */
  private int[] table;

  private long minAtNanos = Long.MAX_VALUE;
  private int size;
  private int bytes;

  /**
   * While sealing: one string per distinct fingerprint. Merging and filtering keep the strings of
   * their sources, already shared.
   */
  private Map<String, String> shared;

  private TransactionSegment(int capacity, int byteCapacity) {
    idBytes = new byte[byteCapacity];
    idEnd = new int[capacity];
    hashes = new int[capacity];
    fingerprints = new String[capacity];
    balanceAfter = new long[capacity];
    atNanos = new long[capacity];
    endBalanceAfter = new long[capacity];
    holdEnd = new byte[capacity];
  }

  /** The segment of these records. */
  static TransactionSegment of(scala.collection.immutable.HashMap<String, TxRecord> records) {
    int[] byteCount = {0};
    records.foreachEntry((id, tx) -> byteCount[0] += utf8(id).length);
    TransactionSegment seg = new TransactionSegment(records.size(), byteCount[0]);
    seg.shared = new HashMap<>();
    records.foreachEntry(
        (id, tx) -> {
          byte[] key = utf8(id);
          seg.add(
              id.hashCode(),
              key,
              0,
              key.length,
              tx.fingerprint(),
              tx.balanceAfter(),
              TransactionMemory.nanos(tx.at()),
              tx.endBalanceAfter(),
              (byte) (tx.holdEnd() == null ? 0 : tx.holdEnd().ordinal() + 1));
          return null;
        });
    return seg.indexed();
  }

  /** One segment with the records of both; {@code newer}'s win. */
  static TransactionSegment merged(TransactionSegment older, TransactionSegment newer) {
    TransactionSegment seg =
        new TransactionSegment(older.size + newer.size, older.bytes + newer.bytes);
    for (int i = 0; i < older.size; i++) {
      if (newer.indexOf(older, i) < 0) {
        seg.copy(older, i);
      }
    }
    for (int i = 0; i < newer.size; i++) {
      seg.copy(newer, i);
    }
    return seg.indexed();
  }

  /** This segment with only the records {@code keep} says to, or null if none is left. */
  TransactionSegment filtered(IntPredicate keep) {
    TransactionSegment seg = new TransactionSegment(size, bytes);
    for (int i = 0; i < size; i++) {
      if (keep.test(i)) {
        seg.copy(this, i);
      }
    }
    return seg.size == 0 ? null : seg.indexed();
  }

  int size() {
    return size;
  }

  long minAtNanos() {
    return minAtNanos;
  }

  long atNanos(int i) {
    return atNanos[i];
  }

  String id(int i) {
    int from = start(i);
    return new String(idBytes, from, idEnd[i] - from, StandardCharsets.UTF_8);
  }

  /** Where {@code id} (whose UTF-8 bytes are {@code key}) is in the columns, or -1. */
  int indexOf(String id, byte[] key) {
    return indexOf(id.hashCode(), key, 0, key.length);
  }

  /** Where the id at {@code i} of {@code other} is in this segment's columns, or -1. */
  int indexOf(TransactionSegment other, int i) {
    return indexOf(other.hashes[i], other.idBytes, other.start(i), other.idEnd[i]);
  }

  TxRecord record(int i) {
    return new TxRecord(
        fingerprints[i],
        balanceAfter[i],
        TransactionMemory.instant(atNanos[i]),
        holdEnd[i] == 0 ? null : ends[holdEnd[i] - 1],
        endBalanceAfter[i]);
  }

  static byte[] utf8(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  private int indexOf(int hash, byte[] key, int from, int to) {
    for (int slot = slotOf(hash); ; slot = (slot + 1) & (table.length - 1)) {
      int entry = table[slot];
      if (entry == 0) {
        return -1;
      }
      int i = entry - 1;
      if (hashes[i] == hash && Arrays.equals(idBytes, start(i), idEnd[i], key, from, to)) {
        return i;
      }
    }
  }

  private int start(int i) {
    return i == 0 ? 0 : idEnd[i - 1];
  }

  private void copy(TransactionSegment from, int i) {
    add(
        from.hashes[i],
        from.idBytes,
        from.start(i),
        from.idEnd[i],
        from.fingerprints[i],
        from.balanceAfter[i],
        from.atNanos[i],
        from.endBalanceAfter[i],
        from.holdEnd[i]);
  }

  private void add(
      int hash,
      byte[] key,
      int from,
      int to,
      String fingerprint,
      long balance,
      long at,
      long endBalance,
      byte end) {
    System.arraycopy(key, from, idBytes, bytes, to - from);
    bytes += to - from;
    idEnd[size] = bytes;
    hashes[size] = hash;
    fingerprints[size] = shared == null ? fingerprint : shared.computeIfAbsent(fingerprint, f -> f);
    balanceAfter[size] = balance;
    atNanos[size] = at;
    endBalanceAfter[size] = endBalance;
    holdEnd[size] = end;
    minAtNanos = Math.min(minAtNanos, at);
    size++;
  }

  /** Trims the columns to the records in and builds the index: the segment is done. */
  private TransactionSegment indexed() {
    if (size < idEnd.length || bytes < idBytes.length) {
      idBytes = Arrays.copyOf(idBytes, bytes);
      idEnd = Arrays.copyOf(idEnd, size);
      hashes = Arrays.copyOf(hashes, size);
      fingerprints = Arrays.copyOf(fingerprints, size);
      balanceAfter = Arrays.copyOf(balanceAfter, size);
      atNanos = Arrays.copyOf(atNanos, size);
      endBalanceAfter = Arrays.copyOf(endBalanceAfter, size);
      holdEnd = Arrays.copyOf(holdEnd, size);
    }
    table = new int[Integer.highestOneBit(Math.max(1, size) * 2 - 1) * 2];
    for (int i = 0; i < size; i++) {
      int slot = slotOf(hashes[i]);
      while (table[slot] != 0) {
        slot = (slot + 1) & (table.length - 1);
      }
      table[slot] = i + 1;
    }
    shared = null;
    return this;
  }

  private int slotOf(int hash) {
    int h = hash * 0x9E3779B9;
    return (h ^ (h >>> 16)) & (table.length - 1);
  }
}
