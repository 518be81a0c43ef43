package io.leadcredits.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where each sink of the event feed has got to ({@code V11__event_sink_offsets.sql}). A sink that
 * writes what it made of the events to PostgreSQL stores its cursor in the same transaction ({@link
 * #save(Connection, String, FeedCursor)}), so a crash can neither lose nor repeat its work; a sink
 * that hands events to another system stores it after that system acknowledged them.
 */
public final class JdbcSinkOffsets {
  private static final String LOAD = "SELECT cursor FROM event_sink_offsets WHERE sink = ?";
  private static final String SAVE =
      "INSERT INTO event_sink_offsets (sink, cursor) VALUES (?, ?)"
          + " ON CONFLICT (sink) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()";

  private final DataSource dataSource;

  public JdbcSinkOffsets(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The cursor {@code sink} got to; the feed's start when it has none yet. */
  public FeedCursor load(String sink) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(LOAD)) {
      s.setString(1, sink);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return FeedCursor.START;
        }
        String text = rs.getString(1);
        return FeedCursor.decode(text)
            .orElseThrow(
                () -> new IllegalStateException("a stored cursor that is not one: " + text));
      }
    }
  }

  /** Stores the cursor of {@code sink}, on its own. */
  public void save(String sink, FeedCursor cursor) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      save(c, sink, cursor);
    }
  }

  /** Stores the cursor of {@code sink} in {@code c}'s transaction. */
  public static void save(Connection c, String sink, FeedCursor cursor) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SAVE)) {
      s.setString(1, sink);
      s.setString(2, cursor.encode());
      s.executeUpdate();
    }
  }
}
