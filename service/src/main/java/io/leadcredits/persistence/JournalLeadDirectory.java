package io.leadcredits.persistence;

import io.leadcredits.engine.LeadDirectory;
import io.leadcredits.lead.Lead;
import io.leadcredits.lead.LeadEvent;
import io.leadcredits.lead.LeadStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * The lead directory read straight from the journal table with SQL, the events being JSON: a lead
 * exists once its first event (LeadCreated) is stored, and its status follows from its events as
 * {@link io.leadcredits.lead.LeadState#statusAt} says: full once maxClaims claims are confirmed
 * (full wins over closed), else closed once withdrawn or past its expiry, else open. Events are
 * never deleted, so the journal is complete. The leads are found through the first-event index
 * ({@code V4__journal_first_events.sql}), then each lead's own rows are read by primary key: the
 * cost grows with the leads and their events, not with the accounts' journals. Payloads are parsed
 * only for each lead's first event.
 */
public final class JournalLeadDirectory implements LeadDirectory {
  private static final String LEAD_PREFIX =
      Lead.ENTITY_KEY.name() + PersistenceId.DefaultSeparator();

  static {
    // Written into the SQL as a LIKE prefix (a literal, so the planner uses the V4 index).
    if (!LEAD_PREFIX.matches("[A-Za-z|]+")) {
      throw new IllegalStateException("not a plain LIKE prefix: " + LEAD_PREFIX);
    }
  }

  /**
   * Every lead with its status at the given instant. The manifest is the event's class name (the
   * Jackson serializer's), which cannot change without breaking replay anyway.
   */
  private static final String STATUSES =
      "WITH leads AS ("
          + " SELECT persistence_id, ordering,"
          + "  convert_from(event_payload, 'UTF8')::jsonb AS created"
          + " FROM event_journal"
          + " WHERE persistence_id LIKE '"
          + LEAD_PREFIX
          + "%' AND sequence_number = 1 AND NOT deleted),"
          // One walk of each lead's own rows (the primary key), never a scan of the journal.
          + " events AS ("
          + " SELECT l.persistence_id, l.ordering, l.created, x.confirmed, x.closed, x.voided"
          + " FROM leads l CROSS JOIN LATERAL ("
          + "  SELECT count(*) FILTER (WHERE e.event_ser_manifest = ?) AS confirmed,"
          + "   bool_or(e.event_ser_manifest = ?) AS closed,"
          + "   bool_or(e.event_ser_manifest = ?) AS voided"
          + "  FROM event_journal e WHERE e.persistence_id = l.persistence_id) x),"
          + " statuses AS ("
          + " SELECT persistence_id, ordering, CASE"
          + "  WHEN voided THEN 'VOIDED'"
          + "  WHEN confirmed >= (created ->> 'maxClaims')::int THEN 'FULL'"
          + "  WHEN closed OR (created ->> 'expiresAt')::timestamptz <= ? THEN 'CLOSED'"
          + "  ELSE 'OPEN' END AS status"
          + " FROM events)";

  // One statement, one snapshot: the counts and the page agree. The CTE is read twice, so
  // PostgreSQL computes it once.
  private static final String LISTING =
      STATUSES
          + " SELECT 'count' AS kind, status, count(*) AS n, NULL AS persistence_id"
          + " FROM statuses GROUP BY status"
          + " UNION ALL"
          + " (SELECT 'item', status, ordering, persistence_id FROM statuses"
          + "  WHERE ?::text IS NULL OR status = ?::text ORDER BY ordering DESC LIMIT ?)";

  private final DataSource dataSource;
  private final Executor blocking;

  /** {@code blocking} runs the JDBC calls, never the caller's thread. */
  public JournalLeadDirectory(DataSource dataSource, Executor blocking) {
    this.dataSource = dataSource;
    this.blocking = blocking;
  }

  @Override
  public CompletionStage<Listing> newest(LeadStatus status, int limit, Instant now) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = dataSource.getConnection()) {
            return read(c, status, limit, now);
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }

  private static Listing read(Connection c, LeadStatus status, int limit, Instant now)
      throws SQLException {
    Map<LeadStatus, Long> counts = new EnumMap<>(LeadStatus.class);
    List<Row> items = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(LISTING)) {
      String wanted = status == null ? null : status.name();
      s.setString(1, LeadEvent.ClaimConfirmed.class.getName());
      s.setString(2, LeadEvent.LeadClosed.class.getName());
      s.setString(3, LeadEvent.LeadVoided.class.getName());
      s.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      s.setString(5, wanted);
      s.setString(6, wanted);
      s.setInt(7, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          LeadStatus st = LeadStatus.valueOf(rs.getString("status"));
          if (rs.getString("kind").equals("count")) {
            counts.put(st, rs.getLong("n"));
          } else {
            items.add(new Row(rs.getLong("n"), rs.getString("persistence_id")));
          }
        }
      }
    }
    // UNION ALL promises no order across its parts: newest first again.
    items.sort((a, b) -> Long.compare(b.ordering(), a.ordering()));
    return new Listing(
        counts,
        items.stream().map(r -> r.persistenceId().substring(LEAD_PREFIX.length())).toList());
  }

  private record Row(long ordering, String persistenceId) {}
}
