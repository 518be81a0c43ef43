package io.leadcredits.baseline;

import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadEvent.LeadClosed;
import io.leadcredits.lead.LeadEvent.LeadCreated;
import io.leadcredits.lead.LeadState;
import io.leadcredits.lead.LeadState.Confirmed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lock baseline's leads as {@link io.leadcredits.lead.LeadRules} sees them: a lead's row and
 * its claims read into a {@link LeadState}, and the events the rulebook decides written as rows. A
 * claim here is paid and confirmed in the transaction that takes its slot, so no slot is ever
 * pending, and a lead's version counts the events the actor would have for it: created, a slot
 * taken and confirmed per claim, closed.
 */
final class LockedLeads {
  private LockedLeads() {}

  /**
   * The lead with its confirmed claims, or the empty state when there is none; {@code forUpdate}
   * locks its row first, and claims are read after the lock, so they are the holder's last.
   */
  static LeadState read(Connection c, String leadId, boolean forUpdate) throws SQLException {
    long creditCost;
    int maxClaims;
    Instant expiresAt;
    Instant closedAt;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT credit_cost, max_claims, expires_at, closed_at FROM bl_leads"
                + " WHERE lead_id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
      s.setString(1, leadId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return LeadState.empty();
        }
        creditCost = rs.getLong("credit_cost");
        maxClaims = rs.getInt("max_claims");
        expiresAt = Rows.instant(rs, "expires_at");
        closedAt = Rows.instant(rs, "closed_at");
      }
    }
    List<Confirmed> claims = claims(c, leadId);
    long version = 1L + 2L * claims.size() + (closedAt == null ? 0 : 1);
    return new LeadState(
        true, creditCost, maxClaims, expiresAt, closedAt, Map.of(), claims, version);
  }

  /**
   * Locks the lead and, in the same round trip, looks up the tradie's own claim on it: what {@link
   * io.leadcredits.lead.LeadRules#claim} needs, without the lead's whole claim list. The own-claim
   * lookup and the highest claim number beside it read the statement's snapshot, taken before any
   * wait for the lock: when the claims it saw reach the locked row's count, nothing committed in
   * between and the lookup stands; otherwise the own claim is looked up again after the lock.
   */
  private static final String LOCK_FOR_CLAIM =
      "SELECT l.credit_cost, l.max_claims, l.expires_at, l.closed_at, l.claims,"
          + " (SELECT max(seq) FROM bl_claims WHERE lead_id = l.lead_id) AS seen_claims,"
          + " c.claim_id, c.credits_used, c.balance_after, c.at"
          + " FROM bl_leads l LEFT JOIN bl_claims c"
          + " ON c.lead_id = l.lead_id AND c.tradie_id = ?"
          + " WHERE l.lead_id = ? FOR UPDATE OF l";

  private static final String OWN_CLAIM =
      "SELECT claim_id, credits_used, balance_after, at FROM bl_claims"
          + " WHERE lead_id = ? AND tradie_id = ?";

  /**
   * The lead locked, as a claim by {@code tradieId} needs it: its counters and the tradie's own
   * claim, or the empty state when there is none. The other tradies' claims are counted, not read:
   * each stands in the state as a placeholder of no tradie (an empty id, which no request can
   * carry), so the rulebook counts slots as it would with the claims themselves. Not for a lead's
   * view, which lists them: {@link #read}.
   */
  static LeadState forClaim(Connection c, String leadId, String tradieId) throws SQLException {
    long creditCost;
    int maxClaims;
    Instant expiresAt;
    Instant closedAt;
    int count;
    Confirmed own;
    boolean current;
    try (PreparedStatement s = c.prepareStatement(LOCK_FOR_CLAIM)) {
      s.setString(1, tradieId);
      s.setString(2, leadId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return LeadState.empty();
        }
        creditCost = rs.getLong("credit_cost");
        maxClaims = rs.getInt("max_claims");
        expiresAt = Rows.instant(rs, "expires_at");
        closedAt = Rows.instant(rs, "closed_at");
        count = rs.getInt("claims");
        current = rs.getInt("seen_claims") == count; // max of no rows is NULL: 0, count 0
        own = rs.getString("claim_id") == null ? null : claim(rs, tradieId);
      }
    }
    if (!current) {
      own = ownClaim(c, leadId, tradieId);
    }
    List<Confirmed> claims = new ArrayList<>(count);
    if (own != null) {
      claims.add(own);
    }
    Confirmed other = new Confirmed("", "", 0, 0, Instant.EPOCH);
    while (claims.size() < count) {
      claims.add(other);
    }
    long version = 1L + 2L * count + (closedAt == null ? 0 : 1);
    return new LeadState(
        true, creditCost, maxClaims, expiresAt, closedAt, Map.of(), claims, version);
  }

  private static Confirmed ownClaim(Connection c, String leadId, String tradieId)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(OWN_CLAIM)) {
      s.setString(1, leadId);
      s.setString(2, tradieId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? claim(rs, tradieId) : null;
      }
    }
  }

  private static Confirmed claim(ResultSet rs, String tradieId) throws SQLException {
    return new Confirmed(
        rs.getString("claim_id"),
        tradieId,
        rs.getLong("credits_used"),
        rs.getLong("balance_after"),
        Rows.instant(rs, "at"));
  }

  /** Inserts the lead; false when a concurrent create of the same lead committed first. */
  static boolean create(Connection c, String leadId, LeadCreated created) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO bl_leads (lead_id, credit_cost, max_claims, expires_at, created_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      s.setString(1, leadId);
      s.setLong(2, created.creditCost());
      s.setInt(3, created.maxClaims());
      s.setObject(4, Rows.timestamp(created.expiresAt()));
      s.setObject(5, Rows.timestamp(created.at()));
      return s.executeUpdate() == 1;
    }
  }

  static void close(Connection c, String leadId, LeadClosed closed) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE bl_leads SET closed_at = ? WHERE lead_id = ?")) {
      s.setObject(1, Rows.timestamp(closed.at()));
      s.setString(2, leadId);
      s.executeUpdate();
    }
  }

  /** The claim row, the {@code seq}-th of the lead, and the lead's counter of claims. */
  static void confirm(Connection c, String leadId, int seq, ClaimConfirmed confirmed)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO bl_claims (lead_id, tradie_id, claim_id, seq, credits_used,"
                + " balance_after, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, leadId);
      s.setString(2, confirmed.tradieId());
      s.setString(3, confirmed.claimId());
      s.setInt(4, seq);
      s.setLong(5, confirmed.creditsUsed());
      s.setLong(6, confirmed.balanceAfter());
      s.setObject(7, Rows.timestamp(confirmed.at()));
      s.executeUpdate();
    }
    try (PreparedStatement s =
        c.prepareStatement("UPDATE bl_leads SET claims = claims + 1 WHERE lead_id = ?")) {
      s.setString(1, leadId);
      s.executeUpdate();
    }
  }

  private static List<Confirmed> claims(Connection c, String leadId) throws SQLException {
    List<Confirmed> claims = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT claim_id, tradie_id, credits_used, balance_after, at FROM bl_claims"
                + " WHERE lead_id = ? ORDER BY seq")) {
      s.setString(1, leadId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          claims.add(
              new Confirmed(
                  rs.getString("claim_id"),
                  rs.getString("tradie_id"),
                  rs.getLong("credits_used"),
                  rs.getLong("balance_after"),
                  Rows.instant(rs, "at")));
        }
      }
    }
    return claims;
  }
}
