package io.leadcredits.persistence;

import io.leadcredits.Limits;
import io.leadcredits.account.Account;
import io.leadcredits.account.AccountEvent;
import io.leadcredits.feed.EventFeed;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedEvent;
import io.leadcredits.feed.FeedEvents;
import io.leadcredits.feed.FeedEvents.LeadTally;
import io.leadcredits.feed.FeedPage;
import io.leadcredits.feed.TypeFilter;
import io.leadcredits.lead.Lead;
import io.leadcredits.lead.LeadEvent;
import io.leadcredits.pricing.Pricing;
import io.leadcredits.pricing.PricingEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.serialization.Serialization;

/**
 * The event feed read straight from the journal table: the journal is the outbox, so a change is
 * announced exactly when it is stored, and nothing else is written for it. Rows are read in the
 * order (writing transaction, ordering), only those whose transaction is older than every
 * transaction still running ({@code V10__journal_commit_order.sql}): a row committed late can never
 * appear behind a cursor already handed out. Each row is read back with the serializer that wrote
 * it and announced as {@link FeedEvents} says; a lead's claims are counted from its own earlier
 * rows. JDBC blocks, so reads run on the feed's own small pool; a read waiting for events looks
 * again every {@link Limits#feedPollInterval}.
 */
public final class JournalFeed implements EventFeed, AutoCloseable {
  private static final int THREADS = 2;
  private static final int QUEUE_LENGTH_MAX = 1_000;
  private static final String SEPARATOR = PersistenceId.DefaultSeparator();
  private static final String ACCOUNT = Account.ENTITY_KEY.name() + SEPARATOR;
  private static final String LEAD = Lead.ENTITY_KEY.name() + SEPARATOR;
  private static final String PRICING = Pricing.PERSISTENCE_ID.id();
  private static final String REFUND = io.leadcredits.refund.Refund.ENTITY_KEY.name() + SEPARATOR;

  // The COALESCE repeats the index's expression word for word, so the planner uses the index.
  private static final String POSITION = "COALESCE(transaction_xid, '0'::xid8)";
  private static final String ROWS =
      "SELECT "
          + POSITION
          + "::text, ordering, persistence_id, sequence_number,"
          + " event_ser_id, event_ser_manifest, event_payload FROM event_journal"
          + " WHERE ("
          + POSITION
          + ", ordering) >= (?::xid8, ?)"
          + " AND "
          + POSITION
          + " < pg_snapshot_xmin(pg_current_snapshot()) AND NOT deleted"
          + " ORDER BY "
          + POSITION
          + ", ordering LIMIT ?";

  private static final String HEAD =
      "SELECT "
          + POSITION
          + "::text, ordering FROM event_journal WHERE "
          + POSITION
          + " < pg_snapshot_xmin(pg_current_snapshot()) AND NOT deleted"
          + " ORDER BY "
          + POSITION
          + " DESC, ordering DESC LIMIT 1";

  private static final String LEAD_BEFORE =
      "SELECT event_ser_id, event_ser_manifest, event_payload FROM event_journal"
          + " WHERE persistence_id = ? AND sequence_number < ? AND NOT deleted"
          + " ORDER BY sequence_number";

  /** Rows asked for at once while a read fills its page. */
  static final int ROWS_PER_QUERY = 500;

  private final DataSource dataSource;
  private final Serialization serialization;
  private final int rowsPerQuery;
  private final ThreadPoolExecutor executor;
  private final ScheduledExecutorService timer;

  public JournalFeed(DataSource dataSource, Serialization serialization) {
    this(dataSource, serialization, ROWS_PER_QUERY);
  }

  /** With {@code rowsPerQuery} rows asked for at once: small in tests, to cross many boundaries. */
  JournalFeed(DataSource dataSource, Serialization serialization, int rowsPerQuery) {
    this.dataSource = dataSource;
    this.serialization = serialization;
    this.rowsPerQuery = rowsPerQuery;
    this.executor = BlockingPool.of("event-feed", THREADS, QUEUE_LENGTH_MAX);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "event-feed-timer");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public CompletionStage<FeedPage> read(
      FeedCursor after, int limit, TypeFilter types, Duration wait) {
    CompletableFuture<FeedPage> result = new CompletableFuture<>();
    attempt(after, limit, types, System.nanoTime() + wait.toNanos(), result);
    return result;
  }

  @Override
  public CompletionStage<FeedCursor> head() {
    return CompletableFuture.supplyAsync(this::headNow, executor);
  }

  private FeedCursor headNow() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(HEAD);
        ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return FeedCursor.START;
      }
      return new FeedCursor(Long.parseLong(rs.getString(1)), rs.getLong(2), Integer.MAX_VALUE);
    } catch (SQLException e) {
      throw new IllegalStateException("reading the event feed's head failed: " + e.getMessage(), e);
    }
  }

  private void attempt(
      FeedCursor after,
      int limit,
      TypeFilter types,
      long deadline,
      CompletableFuture<FeedPage> result) {
    try {
      executor.execute(
          () -> {
            FeedPage page;
            try {
              page = page(after, limit, types);
            } catch (RuntimeException e) {
              result.completeExceptionally(e);
              return;
            }
            long left = deadline - System.nanoTime();
            if (!page.items().isEmpty() || left <= 0) {
              result.complete(page);
              return;
            }
            // Nothing yet: look again from where this read got to.
            long delay = Math.min(left, Limits.feedPollInterval.toNanos());
            try {
              timer.schedule(
                  () -> attempt(page.next(), limit, types, deadline, result),
                  delay,
                  TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) { // closing: answer what there is
              result.complete(page);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(e);
    }
  }

  /** One page, read now. */
  FeedPage page(FeedCursor after, int limit, TypeFilter types) {
    List<FeedEvent> items = new ArrayList<>();
    Map<String, LeadTally> tallies = new HashMap<>();
    FeedCursor at = after;
    int scanned = 0;
    try (Connection c = dataSource.getConnection();
        PreparedStatement rows = c.prepareStatement(ROWS)) {
      while (scanned < Limits.feedScanRowsMax) {
        rows.setString(1, Long.toString(at.transaction()));
        // A row done with is not read again (it would be folded into its lead's tally twice, and
        // a claim counted twice announces the lead full too early); one left part-way is.
        rows.setLong(
            2, at.index() == Integer.MAX_VALUE ? Math.addExact(at.ordering(), 1) : at.ordering());
        rows.setInt(3, rowsPerQuery);
        int read = 0;
        try (ResultSet rs = rows.executeQuery()) {
          while (rs.next()) {
            read++;
            FeedCursor row = new FeedCursor(Long.parseLong(rs.getString(1)), rs.getLong(2), -1);
            // Past every event of the row, announced or not.
            FeedCursor done = new FeedCursor(row.transaction(), row.ordering(), Integer.MAX_VALUE);
            for (FeedEvent e : announced(c, rs, row, tallies)) {
              if (e.cursor().compareTo(at) <= 0 || !types.accepts(e.type())) {
                continue;
              }
              items.add(e);
              if (items.size() == limit) {
                return new FeedPage(items, e.cursor());
              }
            }
            at = done;
          }
        }
        scanned += read;
        if (read < rowsPerQuery) {
          break; // the end of what is safe to show
        }
      }
      return new FeedPage(items, at);
    } catch (SQLException e) {
      throw new IllegalStateException("reading the event feed failed: " + e.getMessage(), e);
    }
  }

  private List<FeedEvent> announced(
      Connection c, ResultSet rs, FeedCursor row, Map<String, LeadTally> tallies)
      throws SQLException {
    String persistenceId = rs.getString(3);
    long seq = rs.getLong(4);
    if (persistenceId.startsWith(ACCOUNT)) {
      AccountEvent event =
          (AccountEvent) deserialize(rs.getInt(5), rs.getString(6), rs.getBytes(7));
      return FeedEvents.ofAccount(persistenceId.substring(ACCOUNT.length()), seq, event, row);
    }
    if (persistenceId.startsWith(LEAD)) {
      LeadEvent event = (LeadEvent) deserialize(rs.getInt(5), rs.getString(6), rs.getBytes(7));
      LeadTally before = tallies.get(persistenceId);
      if (before == null) {
        before = tally(c, persistenceId, seq);
      }
      tallies.put(persistenceId, before.after(event));
      return FeedEvents.ofLead(persistenceId.substring(LEAD.length()), seq, event, before, row);
    }
    if (persistenceId.equals(PRICING)) {
      PricingEvent event =
          (PricingEvent) deserialize(rs.getInt(5), rs.getString(6), rs.getBytes(7));
      return FeedEvents.ofPricing(seq, event, row);
    }
    if (persistenceId.startsWith(REFUND)) {
      io.leadcredits.refund.RefundEvent event =
          (io.leadcredits.refund.RefundEvent)
              deserialize(rs.getInt(5), rs.getString(6), rs.getBytes(7));
      return FeedEvents.ofRefund(persistenceId.substring(REFUND.length()), seq, event, row);
    }
    return List.of(); // no other entity announces anything
  }

  /** The tally of a lead's events before version {@code seq}, folded from its first. */
  private LeadTally tally(Connection c, String persistenceId, long seq) throws SQLException {
    LeadTally tally = LeadTally.NONE;
    try (PreparedStatement s = c.prepareStatement(LEAD_BEFORE)) {
      s.setString(1, persistenceId);
      s.setLong(2, seq);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          tally =
              tally.after((LeadEvent) deserialize(rs.getInt(1), rs.getString(2), rs.getBytes(3)));
        }
      }
    }
    return tally;
  }

  private Object deserialize(int serializerId, String manifest, byte[] payload) {
    return serialization.deserialize(payload, serializerId, manifest).get();
  }

  /** Stops taking reads; those under way finish. */
  @Override
  public void close() {
    timer.shutdownNow();
    executor.shutdown();
  }
}
