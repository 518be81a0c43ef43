package io.leadcredits.client.model;

import java.time.Instant;
import java.util.List;

/**
 * The credit liability report as of {@code at}, read from the service's read model, as fresh as
 * {@code asOf} says: credits owed by category (held credits included), the outstanding paid
 * credits' value by currency, what expired and was voided in [{@code period.from}, {@code
 * period.to}), and what expires within 30 days of {@code at}.
 */
public record CreditReport(
    Instant at,
    AsOf asOf,
    ByCategory outstanding,
    List<PaidValue> paidValue,
    long paidCreditsWithoutPrice,
    Period period,
    Expiring expiring) {

  /** The last event the read model applied, its cursor, and whether the feed had newer ones. */
  public record AsOf(
      Instant lastEventAt,
      String lastEventId,
      String cursor,
      long eventsApplied,
      boolean caughtUp) {}

  public record ByCategory(long paid, long promotional) {}

  /**
   * Outstanding paid credits bought in {@code currency} and their pro-rata value in minor units.
   */
  public record PaidValue(String currency, long credits, long amountMinor) {}

  public record Period(Instant from, Instant to, ByCategory expired, ByCategory voided) {}

  public record Expiring(Instant until, long paid, long promotional) {}
}
