package io.leadcredits;

import java.time.Duration;

/**
 * Bounds that are not settings: fixed, named with their unit, in one place, so the rules, the HTTP
 * validation and the stores agree on them.
 */
public final class Limits {
  private Limits() {}

  // ---- the domain --------------------------------------------------------------------------

  /** A trillion credits: far above any real balance, far below overflow of sums in a long. */
  public static final long amountCreditsMax = 1_000_000_000_000L;

  /** Claims one lead may take: a lead's claims stay one small entity's state. */
  public static final int claimsPerLeadMax = 1_000;

  /** The shortest hold. */
  public static final Duration holdTtlMin = Duration.ofSeconds(1);

  /**
   * The longest hold any setting may allow ({@code account.hold-ttl-max} is checked against it):
   * long holds are how credits get stuck.
   */
  public static final Duration holdTtlCeiling = Duration.ofDays(1);

  /** Priorities of a grant: lower is spent first. */
  public static final int grantPriorityMin = 0;

  public static final int grantPriorityMax = 100;
  public static final int grantPriorityDefault = 50;

  /** The furthest ahead a grant may expire: ten years (with their leap days). */
  public static final Duration grantLifetimeMax = Duration.ofDays(3_653);

  /**
   * Live grants one account may have. A command costs the same whatever their number (persistent
   * maps), but each is about 300 bytes of heap and of snapshot: an account topped up a hundred
   * thousand times without spending holds 30 MB. A top-up beyond is refused (TOO_MANY_GRANTS);
   * spending or voiding grants makes room.
   */
  public static final int liveGrantsPerAccountMax = 100_000;

  /** Live grants an account's view lists, the first in spending order; the rest are counted. */
  public static final int grantsInViewMax = 100;

  /** Characters of a change's free-text reason. */
  public static final int reasonLengthMax = 256;

  /** Categories, regions or tiers one price list may name, each at most. */
  public static final int priceListEntriesMax = 1_000;

  /**
   * Tradies with a tier, at most: their tiers live in the one pricing entity every node caches, so
   * they are bounded like any state held whole.
   */
  public static final int tieredTradiesMax = 100_000;

  /**
   * How often a node reads the pricing journal for changes made through another node. A change made
   * through this node is read before it is answered.
   */
  public static final Duration priceBookRefreshInterval = Duration.ofSeconds(1);

  // ---- pages ---------------------------------------------------------------------------------

  public static final int trailPageDefault = 100;
  public static final int trailPageMax = 1_000;

  /**
   * Entries in one account statement: a period with more is refused (ask for a shorter one), so a
   * statement of a hot account's year never builds a reply of millions of entries in memory.
   */
  public static final int statementEntriesMax = 10_000;

  public static final int leadListPageDefault = 20;

  /** A lead carries up to 1,000 claims: a page of 100 stays a few megabytes at worst. */
  public static final int leadListPageMax = 100;

  // ---- queues and batches: each bounds memory under overload --------------------------------

  /** Requests served at once by default ({@code http.max-in-flight}); one more is 503. */
  public static final int httpInFlightDefault = 1_024;

  /** Commands an account writes together at most; bounds the size of one journal write. */
  public static final int accountBatchMax = 500;

  /** Commands waiting at an account while its write is in flight; beyond, 503. */
  public static final int accountWaitingMax = 10_000;

  /** Reservations waiting for their durable wake-up to be written; beyond, 503. */
  public static final int reservationsWaitingMax = 1_000;

  /** Claims waiting at a lead while its write is in flight; beyond, 503. */
  public static final int leadClaimsWaitingMax = 10_000;

  /** Times a lead asks an account for a claim's payment before leaving it to the wake-up. */
  public static final int paymentAttemptsMax = 3;

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
   * Heap of an account's filter of ids no longer in memory, at most. Its slices grow fourfold and
   * the last takes what the others leave, so a busy account reaches 8 MiB (16 KiB, 64 KiB, 256 KiB,
   * 1 MiB, 6.7 MiB) after about 700,000 ids; the filter then says a false "maybe" (each a look-up)
   * to 0.8% of new ids up to 4 million ids in it, 1.8% at 6 million, 10% at 10 million, and more
   * after, and the memory does not grow.
   */
  public static final long transactionFilterBytesMax = 8L << 20;

  /** Commands an account keeps waiting for ids looked up in the journal; beyond, refused (503). */
  public static final int transactionsAwaitingLookupMax = 1_000;

  /** Transaction ids looked up in one query, at most. */
  public static final int transactionLookupBatchMax = 500;

  /** Events in one page of the feed when the reader does not say, and at most. */
  public static final int feedPageDefault = 100;

  public static final int feedPageMax = 1_000;

  /** How long a read of the feed may wait for a first event ({@code wait}), at most. */
  public static final Duration feedWaitMax = Duration.ofSeconds(30);

  /**
   * Journal rows one read of the feed looks at, at most: a filter that matches little answers with
   * fewer events and a cursor past what it looked at, instead of reading the whole journal.
   */
  public static final int feedScanRowsMax = 10_000;

  /** How often a waiting read of the feed looks again for new events. */
  public static final Duration feedPollInterval = Duration.ofMillis(100);

  /** Webhook endpoints a service keeps, at most: each costs a row per event it accepts. */
  public static final int webhookEndpointsMax = 100;

  /** A webhook endpoint's URL, in characters, at most. */
  public static final int webhookUrlLengthMax = 2_048;

  /** A webhook endpoint's description, in characters, at most. */
  public static final int webhookDescriptionLengthMax = 500;

  /** Deliveries in one page of an endpoint's list when the reader does not say, and at most. */
  public static final int webhookDeliveriesPageDefault = 100;

  public static final int webhookDeliveriesPageMax = 1_000;

  /** How long a receiver has to answer a delivery with a 2xx (Standard Webhooks). */
  public static final Duration webhookAttemptTimeout = Duration.ofSeconds(10);
}
