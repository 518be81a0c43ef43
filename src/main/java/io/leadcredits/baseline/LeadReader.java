package io.leadcredits.baseline;

import io.leadcredits.engine.LeadList;
import io.leadcredits.lead.LeadStatus;
import io.leadcredits.lead.LeadView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Reads the baselines' leads: one lead with its claims, and the newest leads by status. */
final class LeadReader {
  /** {@link LeadRow#statusAt} in SQL, over every lead at the instant given as the parameter. */
  private static final String STATUSES =
      "WITH statuses AS (SELECT lead_id, created_at, CASE"
          + " WHEN claims >= max_claims THEN 'FULL'"
          + " WHEN closed_at IS NOT NULL OR expires_at <= ? THEN 'CLOSED'"
          + " ELSE 'OPEN' END AS status FROM bl_leads) ";

  private static final String COUNTS =
      STATUSES + "SELECT status, count(*) FROM statuses GROUP BY status";
  private static final String NEWEST =
      STATUSES
          + "SELECT lead_id FROM statuses WHERE ?::text IS NULL OR status = ?::text"
          + " ORDER BY created_at DESC, lead_id DESC LIMIT ?";

  private LeadReader() {}

  /** The lead, or null when there is none; {@code forUpdate} locks its row. */
  static LeadRow lead(Connection c, String leadId, boolean forUpdate) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT credit_cost, max_claims, claims, expires_at, closed_at FROM bl_leads"
                + " WHERE lead_id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
      s.setString(1, leadId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new LeadRow(
            leadId,
            rs.getLong("credit_cost"),
            rs.getInt("max_claims"),
            rs.getInt("claims"),
            Rows.instant(rs, "expires_at"),
            Rows.instant(rs, "closed_at"),
            claimViews(c, leadId));
      }
    }
  }

  /** In one read-only REPEATABLE READ snapshot, so the counts and the items agree. */
  static LeadList newest(Connection c, LeadStatus status, int limit, Instant now)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }
    Map<LeadStatus, Long> counts = new EnumMap<>(LeadStatus.class);
    try (PreparedStatement s = c.prepareStatement(COUNTS)) {
      s.setObject(1, Rows.timestamp(now));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          counts.put(LeadStatus.valueOf(rs.getString(1)), rs.getLong(2));
        }
      }
    }
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(NEWEST)) {
      String wanted = status == null ? null : status.name();
      s.setObject(1, Rows.timestamp(now));
      s.setString(2, wanted);
      s.setString(3, wanted);
      s.setInt(4, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    List<LeadView> items = new ArrayList<>(ids.size());
    for (String id : ids) {
      items.add(lead(c, id, false).view(now));
    }
    return new LeadList(counts, items);
  }

  private static List<LeadView.ClaimView> claimViews(Connection c, String leadId)
      throws SQLException {
    List<LeadView.ClaimView> claims = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT tradie_id, claim_id, at FROM bl_claims WHERE lead_id = ? ORDER BY seq")) {
      s.setString(1, leadId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          claims.add(
              new LeadView.ClaimView(
                  rs.getString("tradie_id"), rs.getString("claim_id"), Rows.instant(rs, "at")));
        }
      }
    }
    return claims;
  }
}
