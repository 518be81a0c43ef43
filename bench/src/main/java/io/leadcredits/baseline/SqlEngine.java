package io.leadcredits.baseline;

import io.leadcredits.Rejection;
import io.leadcredits.Settings;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.AccountView;
import io.leadcredits.account.Fingerprints;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.claim.ClaimResult;
import io.leadcredits.lead.LeadReply;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code --engine sql}: the strongest plain-SQL design we could write. Every request is one call of
 * a PL/pgSQL function ({@code V3__baselines.sql}, revised in {@code V5} and {@code V6}) in
 * autocommit mode: one round trip, one transaction, row locks held only from the first locking
 * statement to the commit. A claim takes its slot with a conditional {@code UPDATE … WHERE claims <
 * max_claims RETURNING}, so once a lead is full the refusals read the committed row and wait for no
 * lock; the claim id and the debit's metadata and fingerprint are built inside it, for a claim that
 * has its slot only. Rejections come back as rows. A change's view lists only the hold its answer
 * names (a new reservation's); {@link #account} lists every live hold.
 */
final class SqlEngine extends BaselineEngine {

  SqlEngine(TransactionRunner db, Settings settings, Clock clock) {
    super(db, settings, clock);
  }

  @Override
  public CompletionStage<AccountReply> credit(
      String accountId, String transactionId, long amount, Map<String, String> metadata) {
    return account(
        "SELECT * FROM bl_credit(?, ?, ?, ?::jsonb, ?, ?)",
        accountId,
        transactionId,
        amount,
        Rows.json(metadata),
        Fingerprints.credit(amount, metadata));
  }

  @Override
  public CompletionStage<AccountReply> debit(
      String accountId, String transactionId, long amount, Map<String, String> metadata) {
    return account(
        "SELECT * FROM bl_debit(?, ?, ?, ?::jsonb, ?, ?)",
        accountId,
        transactionId,
        amount,
        Rows.json(metadata),
        Fingerprints.debit(amount, metadata));
  }

  @Override
  public CompletionStage<AccountReply> reserve(
      String accountId, String holdId, long amount, Duration ttl, Map<String, String> metadata) {
    Optional<CompletionStage<AccountReply>> refused = ttlRefused(ttl);
    if (refused.isPresent()) {
      return refused.get();
    }
    Duration live = settings.holdTtl(ttl);
    Instant now = now();
    return call(
        "SELECT * FROM bl_reserve(?, ?, ?, ?, ?::jsonb, ?, ?, ?)",
        s -> {
          s.setString(1, accountId);
          s.setString(2, holdId);
          s.setLong(3, amount);
          s.setObject(4, Rows.timestamp(now.plus(live)));
          s.setString(5, Rows.json(metadata));
          s.setString(6, Fingerprints.reserve(amount, ttl, metadata));
          s.setInt(7, settings.holdsPerAccountMax());
          s.setObject(8, Rows.timestamp(now));
          return accountReply(s, accountId);
        });
  }

  @Override
  public CompletionStage<AccountReply> capture(String accountId, String holdId) {
    return endHold(accountId, holdId, "CAPTURED");
  }

  @Override
  public CompletionStage<AccountReply> release(String accountId, String holdId) {
    return endHold(accountId, holdId, "RELEASED");
  }

  @Override
  public CompletionStage<AccountReply> account(String accountId) {
    Instant now = now();
    return call(
        "SELECT * FROM bl_account_view(?, ?, 'OK', NULL, false, NULL)",
        s -> {
          s.setString(1, accountId);
          s.setObject(2, Rows.timestamp(now));
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            if (rs.getLong("version") == 0) { // no row, or a row no change has reached yet
              return new AccountReply.Rejected(Rejection.NOT_FOUND, "no account " + accountId);
            }
            return accountReply(rs, accountId);
          }
        });
  }

  @Override
  public CompletionStage<LeadReply> createLead(
      String leadId, long creditCost, int maxClaims, Instant expiresAt) {
    Instant now = now();
    return call(
        "SELECT * FROM bl_create_lead(?, ?, ?, ?, ?)",
        s -> {
          s.setString(1, leadId);
          s.setLong(2, creditCost);
          s.setInt(3, maxClaims);
          s.setObject(4, Rows.timestamp(expiresAt));
          s.setObject(5, Rows.timestamp(now));
          return leadReply(s, leadId, now);
        });
  }

  @Override
  public CompletionStage<LeadReply> lead(String leadId) {
    Instant now = now();
    return call(
        "SELECT * FROM bl_lead_view(?, 'OK', NULL, false)",
        s -> {
          s.setString(1, leadId);
          return leadReply(s, leadId, now);
        });
  }

  @Override
  public CompletionStage<LeadReply> closeLead(String leadId) {
    Instant now = now();
    return call(
        "SELECT * FROM bl_close_lead(?, ?)",
        s -> {
          s.setString(1, leadId);
          s.setObject(2, Rows.timestamp(now));
          return leadReply(s, leadId, now);
        });
  }

  @Override
  public CompletionStage<ClaimReply> claim(String leadId, String tradieId) {
    Instant now = now();
    return call(
        "SELECT * FROM bl_claim(?, ?, ?)",
        s -> {
          s.setString(1, leadId);
          s.setString(2, tradieId);
          s.setObject(3, Rows.timestamp(now));
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            String outcome = rs.getString("outcome");
            if (!"OK".equals(outcome)) {
              return new ClaimReply.Rejected(Rejection.valueOf(outcome), rs.getString("detail"));
            }
            return new ClaimReply.Claimed(
                new ClaimResult(
                    rs.getString("claim_id"),
                    leadId,
                    tradieId,
                    rs.getLong("credits_used"),
                    rs.getLong("balance_after")),
                rs.getBoolean("replayed"));
          }
        });
  }

  // ---- helpers ------------------------------------------------------------------------------

  private CompletionStage<AccountReply> account(
      String sql,
      String accountId,
      String transactionId,
      long amount,
      String metadata,
      String fingerprint) {
    Instant now = now();
    return call(
        sql,
        s -> {
          s.setString(1, accountId);
          s.setString(2, transactionId);
          s.setLong(3, amount);
          s.setString(4, metadata);
          s.setString(5, fingerprint);
          s.setObject(6, Rows.timestamp(now));
          return accountReply(s, accountId);
        });
  }

  private CompletionStage<AccountReply> endHold(String accountId, String holdId, String end) {
    Instant now = now();
    return call(
        "SELECT * FROM bl_end_hold(?, ?, ?, ?)",
        s -> {
          s.setString(1, accountId);
          s.setString(2, holdId);
          s.setString(3, end);
          s.setObject(4, Rows.timestamp(now));
          return accountReply(s, accountId);
        });
  }

  private static AccountReply accountReply(PreparedStatement s, String accountId)
      throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      rs.next();
      return accountReply(rs, accountId);
    }
  }

  /** A {@code bl_account_result} row as the actor's reply. */
  private static AccountReply accountReply(ResultSet rs, String accountId) throws SQLException {
    String outcome = rs.getString("outcome");
    if (!"OK".equals(outcome)) {
      return new AccountReply.Rejected(Rejection.valueOf(outcome), rs.getString("detail"));
    }
    long balance = rs.getLong("balance");
    long reserved = rs.getLong("reserved");
    AccountView view =
        new AccountView(
            accountId,
            balance,
            reserved,
            balance - reserved,
            Rows.holds(rs.getString("holds")),
            rs.getLong("version"));
    return new AccountReply.Accepted(view, rs.getLong("balance_after"), rs.getBoolean("replayed"));
  }

  /** A {@code bl_lead_result} row as the actor's reply. */
  private static LeadReply leadReply(PreparedStatement s, String leadId, Instant now)
      throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      rs.next();
      String outcome = rs.getString("outcome");
      if (outcome == null) { // bl_lead_view found no lead
        return new LeadReply.Rejected(Rejection.NOT_FOUND, "no lead " + leadId);
      }
      if (!"OK".equals(outcome)) {
        return new LeadReply.Rejected(Rejection.valueOf(outcome), rs.getString("detail"));
      }
      LeadRow row =
          new LeadRow(
              leadId,
              rs.getLong("credit_cost"),
              rs.getInt("max_claims"),
              rs.getInt("claims"),
              Rows.instant(rs, "expires_at"),
              Rows.instant(rs, "closed_at"),
              Rows.claims(rs.getString("claim_list")));
      return new LeadReply.Accepted(row.view(now), rs.getBoolean("replayed"));
    }
  }

  /** One statement, one round trip: the baseline's whole request. */
  @FunctionalInterface
  private interface Call<T> {
    T run(PreparedStatement statement) throws SQLException;
  }

  private <T> CompletionStage<T> call(String sql, Call<T> call) {
    return db.autoCommit(
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            return call.run(s);
          }
        });
  }
}
