package io.leadcredits.report;

import java.time.Instant;
import java.util.List;

/**
 * The credit liability report as of {@code at}: the credits still owed to tradies by category, what
 * the paid ones were bought for pro rata by currency, what expired and was voided in the period
 * [{@code from}, {@code to}), and what expires within {@link #EXPIRING_WITHIN} after {@code at}.
 * Read from the projection's tables, so it is as fresh as {@code asOf} says.
 */
public record CreditReport(
    Instant at,
    AsOf asOf,
    ByCategory outstanding,
    List<PaidValue> paidValue,
    long paidCreditsWithoutPrice,
    Instant from,
    Instant to,
    ByCategory expired,
    ByCategory voided,
    Instant expiringUntil,
    ByCategory expiring) {

  /** How far ahead of {@code at} the report looks for expiries. */
  public static final java.time.Duration EXPIRING_WITHIN = java.time.Duration.ofDays(30);

  /** Credits of each category. */
  public record ByCategory(long paid, long promotional) {}

  /**
   * Paid credits outstanding bought in {@code currency}, and their value: each grant's price times
   * its outstanding share of what it granted, rounded half up to the minor unit, then summed.
   */
  public record PaidValue(String currency, long credits, long amountMinor) {}

  /**
   * Where the read model has got: the last account event it applied ({@code lastEventAt} null when
   * none yet), the feed cursor after it, how many events it applied in all, and whether nothing
   * newer was in the feed when the report was read.
   */
  public record AsOf(
      Instant lastEventAt,
      String lastEventId,
      String cursor,
      long eventsApplied,
      boolean caughtUp) {}

  /** What a report is asked for: as of {@code at}, expiries and voids in [from, to). */
  public record Query(Instant at, Instant from, Instant to) {}
}
