package io.leadcredits;

/**
 * Bounds that are not settings: fixed, named with their unit, in one place, so the rules, the HTTP
 * validation and the stores agree on them.
 */
public final class Limits {
  private Limits() {}

  /**
   * Transaction ids an account keeps in memory by default (the setting {@code
   * account.transactions-in-memory-max}); older ids within the idempotency window are answered from
   * the journal. 65,536 is seconds of a hot account's traffic and a quiet account's whole window;
   * with the columns of {@code TransactionSegment} it is about 6 MB of heap at most.
   */
  public static final int transactionsInMemoryDefault = 65_536;

  /** The fewest transaction ids an account may keep in memory (tests set it this low). */
  public static final int transactionsInMemoryMin = 16;

  /**
   * Heap of an account's filter of ids no longer in memory, at most: 8 MiB holds about 4 million
   * ids at under 1% false "maybe" answers, minutes of a hot account; past that more answers are
   * "maybe" (each a look-up), and the memory does not grow.
   */
  public static final long transactionFilterBytesMax = 8L << 20;

  /** Commands an account keeps waiting for ids looked up in the journal; beyond, refused (503). */
  public static final int transactionsAwaitingLookupMax = 1_000;

  /** Transaction ids looked up in one query, at most. */
  public static final int transactionLookupBatchMax = 500;
}
