package io.leadcredits.report;

import io.leadcredits.feed.EventFeed;
import io.leadcredits.feed.FeedCursor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The liability report as the API answers it: read from the projection's tables on any node (no
 * account is woken), then told whether the feed had anything newer than the projection's cursor.
 */
public final class CreditReports {
  private final CreditReportStore store;
  private final EventFeed feed;
  private final Executor blocking;

  public CreditReports(CreditReportStore store, EventFeed feed, Executor blocking) {
    this.store = store;
    this.feed = feed;
    this.blocking = blocking;
  }

  public CompletionStage<CreditReport> report(CreditReport.Query query) {
    return CompletableFuture.supplyAsync(() -> read(query), blocking)
        .thenCompose(
            report ->
                feed.head() // read after the report: anything it counts came later or is counted
                    .thenApply(head -> caughtUp(report, head)));
  }

  private CreditReport read(CreditReport.Query query) {
    try {
      return store.read(query);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("reading the credit report failed: " + e.getMessage(), e);
    }
  }

  private static CreditReport caughtUp(CreditReport r, FeedCursor head) {
    FeedCursor at =
        r.asOf().cursor() == null
            ? FeedCursor.START
            : FeedCursor.decode(r.asOf().cursor()).orElse(FeedCursor.START);
    CreditReport.AsOf asOf =
        new CreditReport.AsOf(
            r.asOf().lastEventAt(),
            r.asOf().lastEventId(),
            r.asOf().cursor(),
            r.asOf().eventsApplied(),
            at.compareTo(head) >= 0);
    return new CreditReport(
        r.at(),
        asOf,
        r.outstanding(),
        r.paidValue(),
        r.paidCreditsWithoutPrice(),
        r.from(),
        r.to(),
        r.expired(),
        r.voided(),
        r.expiringUntil(),
        r.expiring());
  }
}
