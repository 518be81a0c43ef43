package io.leadcredits.baseline;

import io.leadcredits.Ids;
import io.leadcredits.Rejection;
import io.leadcredits.Settings;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.Fingerprints;
import io.leadcredits.claim.ClaimDebit;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.claim.ClaimResult;
import io.leadcredits.lead.LeadReply;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * {@code --engine locks}: the design the actor engine replaces, implemented honestly. One
 * PostgreSQL transaction per request; a claim locks the lead row, then the tradie's account row,
 * with {@code SELECT … FOR UPDATE}, decides in Java, writes the debit's ledger row, the claim and
 * the counters, and commits: about a dozen round trips while the lead row stays locked. Prepared
 * statements, a HikariCP pool, and a retry when PostgreSQL picks the transaction as a deadlock or
 * serialization victim.
 */
final class LockEngine extends BaselineEngine {

  LockEngine(TransactionRunner db, Settings settings, Clock clock) {
    super(db, settings, clock);
  }

  @Override
  public CompletionStage<AccountReply> credit(
      String accountId, String transactionId, long amount, Map<String, String> metadata) {
    Instant now = now();
    return db.inTransaction(
        c -> LockedAccounts.credit(c, accountId, transactionId, amount, metadata, now));
  }

  @Override
  public CompletionStage<AccountReply> debit(
      String accountId, String transactionId, long amount, Map<String, String> metadata) {
    Instant now = now();
    return db.inTransaction(
        c -> LockedAccounts.debit(c, accountId, transactionId, amount, metadata, now));
  }

  @Override
  public CompletionStage<AccountReply> reserve(
      String accountId, String holdId, long amount, Duration ttl, Map<String, String> metadata) {
    Duration live = settings.holdTtl(ttl);
    if (!settings.holdTtlAllowed(live)) {
      return invalidTtl();
    }
    Instant now = now();
    String fingerprint = Fingerprints.reserve(amount, ttl, metadata);
    return db.inTransaction(
        c ->
            LockedAccounts.reserve(
                c,
                accountId,
                holdId,
                amount,
                now.plus(live),
                metadata,
                fingerprint,
                settings.holdsPerAccountMax(),
                now));
  }

  @Override
  public CompletionStage<AccountReply> capture(String accountId, String holdId) {
    Instant now = now();
    return db.inTransaction(c -> LockedAccounts.endHold(c, accountId, holdId, true, now));
  }

  @Override
  public CompletionStage<AccountReply> release(String accountId, String holdId) {
    Instant now = now();
    return db.inTransaction(c -> LockedAccounts.endHold(c, accountId, holdId, false, now));
  }

  @Override
  public CompletionStage<AccountReply> account(String accountId) {
    Instant now = now();
    return db.inTransaction(c -> LockedAccounts.read(c, accountId, now));
  }

  @Override
  public CompletionStage<LeadReply> createLead(
      String leadId, long creditCost, int maxClaims, Instant expiresAt) {
    Instant now = now();
    Instant expires = expiresAt == null ? null : Rows.micros(expiresAt);
    return db.inTransaction(
        c -> {
          LeadRow lead = LeadReader.lead(c, leadId, true);
          if (lead == null) {
            if (creditCost < 1
                || maxClaims < 1
                || maxClaims > io.leadcredits.lead.Lead.maxClaimsLimit
                || (expires != null && !expires.isAfter(now))) {
              return new LeadReply.Rejected(Rejection.INVALID_REQUEST, "invalid lead terms");
            }
            if (insertLead(c, leadId, creditCost, maxClaims, expires, now)) {
              return new LeadReply.Accepted(LeadReader.lead(c, leadId, false).view(now), false);
            }
            lead = LeadReader.lead(c, leadId, true); // a concurrent create of the same lead won
          }
          boolean same =
              lead.creditCost() == creditCost
                  && lead.maxClaims() == maxClaims
                  && Objects.equals(lead.expiresAt(), expires);
          return same
              ? new LeadReply.Accepted(lead.view(now), true)
              : new LeadReply.Rejected(
                  Rejection.IDEMPOTENCY_CONFLICT, "lead " + leadId + " exists with other terms");
        });
  }

  @Override
  public CompletionStage<LeadReply> lead(String leadId) {
    Instant now = now();
    return db.inTransaction(
        c -> {
          LeadRow lead = LeadReader.lead(c, leadId, false);
          return lead == null ? notFound(leadId) : new LeadReply.Accepted(lead.view(now), false);
        });
  }

  @Override
  public CompletionStage<LeadReply> closeLead(String leadId) {
    Instant now = now();
    return db.inTransaction(
        c -> {
          LeadRow lead = LeadReader.lead(c, leadId, true);
          if (lead == null) {
            return notFound(leadId);
          }
          if (lead.closedAt() != null) {
            return new LeadReply.Accepted(lead.view(now), true);
          }
          try (PreparedStatement s =
              c.prepareStatement("UPDATE bl_leads SET closed_at = ? WHERE lead_id = ?")) {
            s.setObject(1, Rows.timestamp(now));
            s.setString(2, leadId);
            s.executeUpdate();
          }
          return new LeadReply.Accepted(LeadReader.lead(c, leadId, false).view(now), false);
        });
  }

  /** Lock the lead, check, lock and charge the account, record the claim, commit. */
  @Override
  public CompletionStage<ClaimReply> claim(String leadId, String tradieId) {
    Instant now = now();
    String claimId = Ids.claimId(leadId, tradieId);
    return db.inTransaction(
        c -> {
          LeadRow lead = LeadReader.lead(c, leadId, true);
          if (lead == null) {
            return new ClaimReply.Rejected(Rejection.NOT_FOUND, "no lead " + leadId);
          }
          ClaimResult won = claimOf(c, leadId, tradieId);
          if (won != null) {
            return new ClaimReply.Claimed(won, true);
          }
          if (lead.claims() >= lead.maxClaims()) {
            return new ClaimReply.Rejected(
                Rejection.LEAD_FULL, "lead " + leadId + " has no slot left");
          }
          if (lead.statusAt(now) != io.leadcredits.lead.LeadStatus.OPEN) {
            return new ClaimReply.Rejected(Rejection.LEAD_CLOSED, "lead " + leadId + " is closed");
          }
          AccountReply paid =
              LockedAccounts.debit(
                  c,
                  tradieId,
                  claimId,
                  lead.creditCost(),
                  ClaimDebit.metadata(leadId, claimId),
                  now);
          if (!(paid instanceof AccountReply.Accepted a)) {
            AccountReply.Rejected r = (AccountReply.Rejected) paid;
            return new ClaimReply.Rejected(r.reason(), r.detail()); // nothing was written
          }
          recordClaim(c, lead, tradieId, claimId, a.balanceAfter(), now);
          return new ClaimReply.Claimed(
              new ClaimResult(claimId, leadId, tradieId, lead.creditCost(), a.balanceAfter()),
              false);
        });
  }

  // ---- statements ---------------------------------------------------------------------------

  private static LeadReply notFound(String leadId) {
    return new LeadReply.Rejected(Rejection.NOT_FOUND, "no lead " + leadId);
  }

  private static boolean insertLead(
      Connection c, String leadId, long cost, int maxClaims, Instant expiresAt, Instant now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO bl_leads (lead_id, credit_cost, max_claims, expires_at, created_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      s.setString(1, leadId);
      s.setLong(2, cost);
      s.setInt(3, maxClaims);
      s.setObject(4, Rows.timestamp(expiresAt));
      s.setObject(5, Rows.timestamp(now));
      return s.executeUpdate() == 1;
    }
  }

  private static ClaimResult claimOf(Connection c, String leadId, String tradieId)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT claim_id, credits_used, balance_after FROM bl_claims"
                + " WHERE lead_id = ? AND tradie_id = ?")) {
      s.setString(1, leadId);
      s.setString(2, tradieId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? new ClaimResult(
                rs.getString("claim_id"),
                leadId,
                tradieId,
                rs.getLong("credits_used"),
                rs.getLong("balance_after"))
            : null;
      }
    }
  }

  private static void recordClaim(
      Connection c, LeadRow lead, String tradieId, String claimId, long balanceAfter, Instant now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO bl_claims (lead_id, tradie_id, claim_id, seq, credits_used,"
                + " balance_after, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, lead.leadId());
      s.setString(2, tradieId);
      s.setString(3, claimId);
      s.setInt(4, lead.claims() + 1);
      s.setLong(5, lead.creditCost());
      s.setLong(6, balanceAfter);
      s.setObject(7, Rows.timestamp(now));
      s.executeUpdate();
    }
    try (PreparedStatement s =
        c.prepareStatement("UPDATE bl_leads SET claims = claims + 1 WHERE lead_id = ?")) {
      s.setString(1, lead.leadId());
      s.executeUpdate();
    }
  }
}
