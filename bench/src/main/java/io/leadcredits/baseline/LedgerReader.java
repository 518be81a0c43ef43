package io.leadcredits.baseline;

import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.account.TransactionType;
import io.leadcredits.audit.AuditReport;
import io.leadcredits.audit.InvariantChecker;
import io.leadcredits.engine.TrailPage;
import io.leadcredits.lead.LeadEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the baselines' ledger and leads back as the actor engine's events, so the audit trail
 * endpoint and the shared {@link InvariantChecker} see every engine the same way.
 */
final class LedgerReader {
  /** The columns {@link #event} reads. */
  private static final List<String> EVENT_COLUMNS =
      List.of(
          "transaction_id",
          "type",
          "amount",
          "balance_before",
          "balance_after",
          "reserved_before",
          "reserved_after",
          "at",
          "metadata",
          "fingerprint",
          "hold_expires_at");

  private static final String ROW =
      "SELECT account_id, version, " + columns("") + " FROM bl_ledger ";
  private static final String PAGE =
      ROW + "WHERE account_id = ? AND version > ? ORDER BY version LIMIT ?";
  private static final String ALL = ROW + "ORDER BY account_id, version";
  private static final String LEADS =
      "SELECT lead_id, credit_cost, max_claims, expires_at, created_at, closed_at FROM bl_leads";
  private static final String CLAIMS =
      "SELECT lead_id, tradie_id, claim_id, credits_used, balance_after, at FROM bl_claims"
          + " ORDER BY lead_id, seq";

  /** Rows fetched per round trip while the audit streams the whole ledger. */
  private static final int AUDIT_FETCH_SIZE = 1_000;

  private LedgerReader() {}

  static TrailPage page(Connection c, String accountId, long after, int limit) throws SQLException {
    List<TrailPage.Item> items = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(PAGE)) {
      s.setString(1, accountId);
      s.setLong(2, after);
      s.setInt(3, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          items.add(TrailPage.Item.of(rs.getLong("version"), event(rs)));
        }
      }
    }
    return TrailPage.of(items, limit);
  }

  /** Checks everything stored, in one REPEATABLE READ snapshot so claims and debits agree. */
  static AuditReport audit(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }
    InvariantChecker checker = new InvariantChecker();
    accounts(c, checker);
    leads(c, checker);
    return checker.report();
  }

  private static void accounts(Connection c, InvariantChecker checker) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(ALL)) {
      s.setFetchSize(AUDIT_FETCH_SIZE);
      try (ResultSet rs = s.executeQuery()) {
        String account = null;
        List<AccountEvent> events = new ArrayList<>();
        while (rs.next()) {
          String id = rs.getString("account_id");
          if (!id.equals(account)) {
            if (account != null) {
              checker.account(account, events);
            }
            account = id;
            events = new ArrayList<>();
          }
          events.add(event(rs));
        }
        if (account != null) {
          checker.account(account, events);
        }
      }
    }
  }

  /** A lead's rows as the actor's events: created, each claim taken and confirmed, closed. */
  private static void leads(Connection c, InvariantChecker checker) throws SQLException {
    Map<String, List<LeadEvent>> claims = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(CLAIMS);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        String claimId = rs.getString("claim_id");
        String tradieId = rs.getString("tradie_id");
        Instant at = Rows.instant(rs, "at");
        List<LeadEvent> events =
            claims.computeIfAbsent(rs.getString("lead_id"), k -> new ArrayList<>());
        events.add(new LeadEvent.SlotTaken(claimId, tradieId, at));
        events.add(
            new LeadEvent.ClaimConfirmed(
                claimId, tradieId, rs.getLong("credits_used"), rs.getLong("balance_after"), at));
      }
    }
    try (PreparedStatement s = c.prepareStatement(LEADS);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        String leadId = rs.getString("lead_id");
        List<LeadEvent> events = new ArrayList<>();
        events.add(
            new LeadEvent.LeadCreated(
                rs.getLong("credit_cost"),
                rs.getInt("max_claims"),
                Rows.instant(rs, "expires_at"),
                Rows.instant(rs, "created_at")));
        events.addAll(claims.getOrDefault(leadId, List.of()));
        Instant closedAt = Rows.instant(rs, "closed_at");
        if (closedAt != null) {
          events.add(new LeadEvent.LeadClosed(closedAt));
        }
        checker.lead(leadId, events);
      }
    }
  }

  /** The columns {@link #event} reads, each after {@code prefix} (a table alias and a dot). */
  static String columns(String prefix) {
    return prefix + String.join(", " + prefix, EVENT_COLUMNS);
  }

  /** The ledger row as the actor's event: the columns of {@link #columns}. */
  static AccountEvent event(ResultSet rs) throws SQLException {
    Entry entry =
        new Entry(
            rs.getString("transaction_id"),
            rs.getLong("amount"),
            rs.getLong("balance_before"),
            rs.getLong("balance_after"),
            rs.getLong("reserved_before"),
            rs.getLong("reserved_after"),
            Rows.instant(rs, "at"),
            Rows.metadata(rs.getString("metadata")));
    String fingerprint = rs.getString("fingerprint");
    return switch (TransactionType.valueOf(rs.getString("type"))) {
      case CREDIT -> new AccountEvent.Credited(entry, fingerprint);
      case DEBIT -> new AccountEvent.Debited(entry, fingerprint);
      case RESERVE ->
          new AccountEvent.Reserved(entry, fingerprint, Rows.instant(rs, "hold_expires_at"));
      case CAPTURE -> new AccountEvent.Captured(entry);
      case RELEASE -> new AccountEvent.Released(entry);
      case EXPIRE -> new AccountEvent.Expired(entry);
      case GRANT_EXPIRED, GRANT_VOIDED, REFUND ->
          throw new IllegalStateException("the baselines record no grants nor refunds: " + entry);
      case ALERTS_CHANGED ->
          throw new IllegalStateException("the baselines record no alerts: " + entry);
    };
  }
}
