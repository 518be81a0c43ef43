package io.leadcredits.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Checks the journal table itself: every persistence id's sequence numbers run 1, 2, 3, … with no
 * gap and no duplicate, and its writers follow one another (one writer at a time). Events are never
 * deleted, so a hole means a lost write or a tampered table; the read journal would silently skip
 * it, and a replay would then fold a different history.
 */
public final class JournalSequences {
  /** Violations listed at most; past this only the total is reported. */
  private static final int violationsListedMax = 1_000;

  /**
   * Each row whose predecessor in its stream is not one less: the first event when it is not 1, the
   * event after a gap, and a repeated number (excluded by the primary key, checked all the same).
   */
  private static final String BREAKS =
      "SELECT persistence_id, previous, sequence_number FROM ("
          + " SELECT persistence_id, sequence_number,"
          + "  lag(sequence_number, 1, 0::bigint)"
          + "   OVER (PARTITION BY persistence_id ORDER BY sequence_number) AS previous"
          + " FROM event_journal) s"
          + " WHERE sequence_number <> previous + 1"
          + " ORDER BY persistence_id, sequence_number";

  /**
   * Each stream in which a writer wrote again after another writer had written: the mark of two
   * live incarnations of one entity (Pekko gives every incarnation a fresh writer id, so a
   * recovered entity never writes under an old one). A write under the old id would fail on the
   * primary key if it reused a sequence number; this catches the writes that did not collide.
   */
  private static final String WRITER_RETURNS =
      "SELECT persistence_id, writer, count(*) FROM ("
          + " SELECT persistence_id, writer,"
          + "  writer IS DISTINCT FROM lag(writer)"
          + "   OVER (PARTITION BY persistence_id ORDER BY sequence_number) AS starts_run"
          + " FROM event_journal) s"
          + " WHERE starts_run"
          + " GROUP BY persistence_id, writer HAVING count(*) > 1"
          + " ORDER BY persistence_id, writer";

  private static final String TOTALS =
      "SELECT count(DISTINCT persistence_id), count(*) FROM event_journal";

  /**
   * Streams and events in the table, how many breaks were found, and the first of them described.
   */
  public record Report(long persistenceIds, long events, long breaks, List<String> violations) {
    public Report {
      violations = List.copyOf(violations);
    }

    public boolean ok() {
      return breaks == 0;
    }
  }

  private record Breaks(long total, List<String> listed) {}

  private JournalSequences() {}

  public static Report check(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      long ids;
      long events;
      try (PreparedStatement s = c.prepareStatement(TOTALS);
          ResultSet rs = s.executeQuery()) {
        rs.next();
        ids = rs.getLong(1);
        events = rs.getLong(2);
      }
      Breaks found = breaks(c);
      return new Report(ids, events, found.total(), found.listed());
    }
  }

  private static Breaks breaks(Connection c) throws SQLException {
    List<String> violations = new ArrayList<>();
    long total = 0;
    try (PreparedStatement s = c.prepareStatement(BREAKS);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        total++;
        if (violations.size() < violationsListedMax) {
          violations.add(describe(rs.getString(1), rs.getLong(2), rs.getLong(3)));
        }
      }
    }
    try (PreparedStatement s = c.prepareStatement(WRITER_RETURNS);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        total++;
        if (violations.size() < violationsListedMax) {
          violations.add(
              "journal "
                  + rs.getString(1)
                  + ": writer "
                  + rs.getString(2)
                  + " wrote again after another writer ("
                  + rs.getLong(3)
                  + " runs): two writers at once");
        }
      }
    }
    return new Breaks(total, violations);
  }

  private static String describe(String persistenceId, long previous, long sequenceNr) {
    if (sequenceNr == previous) {
      return "journal " + persistenceId + ": sequence number " + sequenceNr + " appears twice";
    }
    if (previous == 0) {
      return "journal " + persistenceId + ": starts at sequence number " + sequenceNr + ", not 1";
    }
    return "journal "
        + persistenceId
        + ": sequence gap after "
        + previous
        + " (next is "
        + sequenceNr
        + ")";
  }
}
