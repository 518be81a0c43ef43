package io.leadcredits.baseline;

import io.leadcredits.Settings;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.AccountRules;
import io.leadcredits.account.AccountState.HoldEnd;
import io.leadcredits.claim.ClaimDebit;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.claim.ClaimResult;
import io.leadcredits.lead.LeadDecision;
import io.leadcredits.lead.LeadDecision.Accept;
import io.leadcredits.lead.LeadDecision.AlreadyWon;
import io.leadcredits.lead.LeadDecision.Confirm;
import io.leadcredits.lead.LeadDecision.OnClaim;
import io.leadcredits.lead.LeadDecision.OnLead;
import io.leadcredits.lead.LeadDecision.Reject;
import io.leadcredits.lead.LeadDecision.TakeSlot;
import io.leadcredits.lead.LeadEvent;
import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadEvent.LeadClosed;
import io.leadcredits.lead.LeadEvent.LeadCreated;
import io.leadcredits.lead.LeadReply;
import io.leadcredits.lead.LeadRules;
import io.leadcredits.lead.LeadState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code --engine locks}: the design the actor engine replaces, implemented honestly. One
 * PostgreSQL transaction per request; a claim locks the lead row, then the tradie's account row,
 * with {@code SELECT … FOR UPDATE}, reads what the rulebooks need under those locks, lets {@link
 * LeadRules} and {@link AccountRules} decide (the actor's own rules), writes the debit's ledger
 * row, the claim and the counters, and commits: seven round trips while the lead row stays locked
 * (docs/benchmarks.md counts them), and every other claimant waits for the lock. No round trip that
 * does no work: a lock's statement also looks up what the rulebook needs when it can (the tradie's
 * own claim, whether the transaction id was seen), so a refusal of a full lead costs the lock and
 * the commit. Prepared statements, a HikariCP pool, and a retry when PostgreSQL picks the
 * transaction as a deadlock or serialization victim.
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
        c ->
            LockedAccounts.change(
                c,
                accountId,
                transactionId,
                true,
                now,
                (state, seen) ->
                    AccountRules.credit(state, seen, transactionId, amount, metadata, now)));
  }

  @Override
  public CompletionStage<AccountReply> debit(
      String accountId, String transactionId, long amount, Map<String, String> metadata) {
    Instant now = now();
    return db.inTransaction(c -> debit(c, accountId, transactionId, amount, metadata, now));
  }

  @Override
  public CompletionStage<AccountReply> reserve(
      String accountId, String holdId, long amount, Duration ttl, Map<String, String> metadata) {
    Optional<CompletionStage<AccountReply>> refused = ttlRefused(ttl);
    if (refused.isPresent()) {
      return refused.get();
    }
    Instant now = now();
    return db.inTransaction(
        c ->
            LockedAccounts.change(
                c,
                accountId,
                holdId,
                false,
                now,
                (state, seen) ->
                    AccountRules.reserve(state, bounds, seen, holdId, amount, ttl, metadata, now)));
  }

  @Override
  public CompletionStage<AccountReply> capture(String accountId, String holdId) {
    return endHold(accountId, holdId, HoldEnd.CAPTURED);
  }

  @Override
  public CompletionStage<AccountReply> release(String accountId, String holdId) {
    return endHold(accountId, holdId, HoldEnd.RELEASED);
  }

  private CompletionStage<AccountReply> endHold(String accountId, String holdId, HoldEnd end) {
    Instant now = now();
    return db.inTransaction(
        c ->
            LockedAccounts.change(
                c,
                accountId,
                holdId,
                false,
                now,
                (state, seen) -> AccountRules.endHold(state, seen, holdId, end, now)));
  }

  @Override
  public CompletionStage<LeadReply> closeLead(String leadId) {
    Instant now = now();
    LeadRules rules = new LeadRules(leadId);
    return db.inTransaction(
        c -> {
          LeadState lead = LockedLeads.read(c, leadId, true);
          OnLead decision = rules.close(lead, now);
          if (decision instanceof Accept a && !a.events().isEmpty()) {
            LockedLeads.close(c, leadId, (LeadClosed) a.events().get(0));
          }
          return leadReply(leadId, lead, decision, now);
        });
  }

  @Override
  public CompletionStage<AccountReply> account(String accountId) {
    Instant now = now();
    return db.autoCommit(c -> LockedAccounts.read(c, accountId, now));
  }

  @Override
  public CompletionStage<LeadReply> createLead(
      String leadId, long creditCost, int maxClaims, Instant expiresAt) {
    Instant now = now();
    Instant expires = expiresAt == null ? null : Rows.micros(expiresAt); // as stored
    LeadRules rules = new LeadRules(leadId);
    return db.inTransaction(
        c -> {
          LeadState lead = LockedLeads.read(c, leadId, true);
          OnLead decision = rules.create(lead, creditCost, maxClaims, expires, now);
          if (decision instanceof Accept a && !a.events().isEmpty()) {
            LeadCreated created = (LeadCreated) a.events().get(0);
            if (!LockedLeads.create(c, leadId, created)) {
              // A concurrent create of the same lead committed first: decide on that lead.
              lead = LockedLeads.read(c, leadId, true);
              decision = rules.create(lead, creditCost, maxClaims, expires, now);
            }
          }
          return leadReply(leadId, lead, decision, now);
        });
  }

  @Override
  public CompletionStage<LeadReply> lead(String leadId) {
    Instant now = now();
    LeadRules rules = new LeadRules(leadId);
    return db.inTransaction(
        c -> {
          LeadState lead = LockedLeads.read(c, leadId, false);
          return leadReply(leadId, lead, rules.read(lead), now);
        });
  }

  /**
   * Lock the lead, let the rulebook decide, lock and charge the account, record the claim, commit.
   * The slot the rulebook takes is confirmed or given back in this same transaction, so only a
   * confirmed claim is ever written: a refused payment writes nothing at all.
   */
  @Override
  public CompletionStage<ClaimReply> claim(String leadId, String tradieId) {
    Instant now = now();
    LeadRules rules = new LeadRules(leadId);
    return db.inTransaction(
        c -> {
          LeadState lead = LockedLeads.forClaim(c, leadId, tradieId);
          OnClaim decision = rules.claim(lead, tradieId, now);
          if (decision instanceof Reject r) {
            return new ClaimReply.Rejected(r.rejection(), r.detail());
          }
          if (decision instanceof AlreadyWon won) {
            LeadState.Confirmed w = won.claim();
            return new ClaimReply.Claimed(
                new ClaimResult(w.claimId(), leadId, tradieId, w.creditsUsed(), w.balanceAfter()),
                true);
          }
          if (!(decision instanceof TakeSlot take)) {
            throw new IllegalStateException("a slot is never left pending here: " + decision);
          }
          LeadState held = lead.apply(take.event());
          String claimId = take.event().claimId();
          AccountReply paid =
              debit(
                  c,
                  tradieId,
                  claimId,
                  lead.creditCost(),
                  ClaimDebit.metadata(leadId, claimId),
                  now);
          if (paid instanceof AccountReply.Rejected r) {
            return new ClaimReply.Rejected(r.reason(), r.detail()); // the slot was never written
          }
          long balanceAfter = ((AccountReply.Accepted) paid).balanceAfter();
          Confirm confirm = (Confirm) rules.confirm(held, claimId, balanceAfter, now);
          ClaimConfirmed confirmed = confirm.event();
          LockedLeads.confirm(c, leadId, lead.confirmed().size() + 1, confirmed);
          return new ClaimReply.Claimed(
              new ClaimResult(
                  claimId, leadId, tradieId, confirmed.creditsUsed(), confirmed.balanceAfter()),
              false);
        });
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static AccountReply debit(
      Connection c,
      String accountId,
      String transactionId,
      long amount,
      Map<String, String> metadata,
      Instant now)
      throws SQLException {
    return LockedAccounts.change(
        c,
        accountId,
        transactionId,
        false,
        now,
        (state, seen) -> AccountRules.debit(state, seen, transactionId, amount, metadata, now));
  }

  /** The rulebook's answer, with the lead as the decision's events leave it. */
  private static LeadReply leadReply(
      String leadId, LeadState lead, LeadDecision decision, Instant now) {
    if (decision instanceof Reject r) {
      return new LeadReply.Rejected(r.rejection(), r.detail());
    }
    Accept accepted = (Accept) decision;
    LeadState after = lead;
    for (LeadEvent e : accepted.events()) {
      after = after.apply(e);
    }
    return new LeadReply.Accepted(after.view(leadId, now), accepted.replayed());
  }
}
