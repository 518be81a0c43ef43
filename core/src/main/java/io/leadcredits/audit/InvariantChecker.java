package io.leadcredits.audit;

import io.leadcredits.Ids;
import io.leadcredits.Limits;
import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.AccountState;
import io.leadcredits.account.Grant;
import io.leadcredits.account.GrantAmount;
import io.leadcredits.claim.ClaimDebit;
import io.leadcredits.lead.LeadEvent;
import io.leadcredits.lead.LeadState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks DESIGN.md's invariants over stored journals, independently of the live entities: every
 * account's trail chains and folds to a non-negative balance with available ≥ 0; every lead has at
 * most maxClaims confirmed claims and no tradie twice; every confirmed claim is paid by exactly one
 * debit of its cost with the claim id, and every claim debit belongs to a claim of its lead that is
 * confirmed or still being finished. Feed it every journal, then ask for the report.
 *
 * <p>Grants: every account's balance is the sum of what its live grants have left and what holds
 * earmarked on them; no grant's remaining or earmarked goes negative; nothing is spent from a grant
 * after its expiry or void; a grant expires only by its own expiry (a paid never-expiring grant
 * never does); and every grant ends exactly once: what it granted is spent, expired or voided, and
 * no event names it after it ended.
 */
public final class InvariantChecker {

  private final List<String> violations = new ArrayList<>();
  private final Map<String, Long> claimDebits = new HashMap<>(); // "account/claimId" -> amount
  private final Map<String, Integer> claimDebitCounts = new HashMap<>();
  private final Map<String, String> claimDebitLeads = new HashMap<>();
  private final Map<String, Long> claimRefunded = new HashMap<>(); // "account/claimId" -> amount
  private final Map<String, LeadState> leads = new HashMap<>();
  private long accounts;

  /** One account's events, in sequence order, starting at its first event. */
  public void account(String accountId, List<AccountEvent> events) {
    AccountTrail trail = new AccountTrail(accountId);
    events.forEach(trail::accept);
    add(trail);
  }

  /**
   * One account's trail, fed an event at a time (in sequence order, from its first event) and then
   * {@link #add}ed to the checker: a hot account's millions of events are checked as they are read,
   * never held together. Its fold keeps as many transaction ids in memory as an account does, the
   * older ones in the account's bounded filter, so its memory is bounded too (an open hold's record
   * always stays: its end needs it). One trail is fed by one thread at a time.
   */
  public static final class AccountTrail {
    private final String accountId;
    private AccountState state = AccountState.empty();
    private long credits;
    private long debits;
    private long removed; // expired and voided
    // Per live grant: granted - spent - expired - voided. Only live grants are kept: the fold
    // itself refuses any event that names a grant no longer live, so an ended one needs no memory.
    private final Map<String, Long> grantTally = new HashMap<>();
    private long events;
    private String broken;
    private final Map<String, Long> claimDebits = new HashMap<>();
    private final Map<String, Integer> claimDebitCounts = new HashMap<>();
    private final Map<String, String> claimDebitLeads = new HashMap<>();
    // Per claim (account/claimId): the credits refunds gave back, and how often each refund id did.
    private final Map<String, Long> claimRefunds = new HashMap<>();
    private final Map<String, Integer> refundCounts = new HashMap<>();

    public AccountTrail(String accountId) {
      this.accountId = accountId;
    }

    public void accept(AccountEvent e) {
      events++;
      if (broken != null) {
        return;
      }
      AccountState before = state;
      try {
        state = state.apply(e);
      } catch (RuntimeException b) {
        broken = "account " + accountId + ": " + b.getMessage();
        return;
      }
      String grantBroken = grants(before, e);
      if (grantBroken != null) {
        broken = "account " + accountId + ": " + grantBroken + " at " + e.entry().transactionId();
        return;
      }
      if (state.transactions().size() > Limits.transactionsInMemoryDefault) {
        state = state.keepingInMemory(Limits.transactionsInMemoryDefault);
      }
      switch (e.type()) {
        case CREDIT, REFUND -> credits += e.entry().amount();
        case DEBIT, CAPTURE -> debits += e.entry().amount();
        case GRANT_EXPIRED, GRANT_VOIDED -> removed += e.entry().amount();
        case RESERVE, RELEASE, EXPIRE, ALERTS_CHANGED -> {}
      }
      if (e instanceof AccountEvent.Debited
          && e.entry().transactionId().startsWith(Ids.CLAIM_PREFIX)) {
        String key = accountId + "/" + e.entry().transactionId();
        claimDebits.merge(key, e.entry().amount(), Long::sum);
        claimDebitCounts.merge(key, 1, Integer::sum);
        claimDebitLeads.put(key, ClaimDebit.leadOf(e.entry().metadata()));
      }
      if (e instanceof AccountEvent.Refunded) {
        String claimId = e.entry().metadata().getOrDefault("claimId", "");
        claimRefunds.merge(accountId + "/" + claimId, e.entry().amount(), Long::sum);
        refundCounts.merge(accountId + "/" + e.entry().transactionId(), 1, Integer::sum);
      }
    }

    /**
     * Tallies each grant (granted, less spent, expired and voided) and checks the grants the event
     * names are live; a grant that left the state must have a tally of zero. Null when all holds.
     */
    private String grants(AccountState before, AccountEvent e) {
      String id = e.entry().transactionId();
      long amount = e.entry().amount();
      List<GrantAmount> taken = List.of(); // only what an event takes can end a grant
      if (e instanceof AccountEvent.Credited c) {
        // A new grant under the id of one that ended is a new grant (an id may come back after
        // the idempotency window); under the id of a live one the fold has refused it already.
        grantTally.merge(c.grant() == null ? Grant.LEGACY_ID : id, amount, Long::sum);
      } else if (e instanceof AccountEvent.Debited d) {
        taken = d.grants() != null ? d.grants() : before.grants().allocate(amount, null);
      } else if (e instanceof AccountEvent.Captured) {
        taken = before.hold(id).map(AccountState.Hold::earmarks).orElse(List.of());
      } else if (e instanceof AccountEvent.GrantExpired x) {
        taken = List.of(new GrantAmount(x.grantId(), amount));
      } else if (e instanceof AccountEvent.GrantVoided v) {
        taken = List.of(new GrantAmount(v.grantId(), amount));
      } else if (e instanceof AccountEvent.Refunded r) {
        // What goes back onto a grant, or makes one again, is granted to it anew.
        r.grants().forEach(p -> grantTally.merge(p.grantId(), p.amount(), Long::sum));
      }
      for (GrantAmount a : taken) {
        grantTally.merge(a.grantId(), -a.amount(), Long::sum);
      }
      for (GrantAmount a : taken) {
        if (state.grants().get(a.grantId()).isEmpty() && grantTally.containsKey(a.grantId())) {
          long left = grantTally.remove(a.grantId());
          if (left != 0) {
            return "grant " + a.grantId() + " ended with " + left + " unaccounted for";
          }
        }
      }
      return null;
    }

    /** The events fed so far. */
    public long events() {
      return events;
    }

    /** Transaction ids the fold keeps in memory now. */
    int idsInMemory() {
      return state.transactions().size();
    }
  }

  /** An account's trail, fed whole: its violations, and its claim debits for the claims' check. */
  public void add(AccountTrail t) {
    accounts++;
    if (t.broken != null) {
      violations.add(t.broken);
      return;
    }
    t.claimDebits.forEach((key, amount) -> claimDebits.merge(key, amount, Long::sum));
    t.claimDebitCounts.forEach((key, count) -> claimDebitCounts.merge(key, count, Integer::sum));
    claimDebitLeads.putAll(t.claimDebitLeads);
    t.claimRefunds.forEach((key, amount) -> claimRefunded.merge(key, amount, Long::sum));
    // Invariant 7: Σ refunded per claim ≤ the price paid for it; each refund credited once.
    t.claimRefunds.forEach(
        (key, refunded) -> {
          long paid = t.claimDebits.getOrDefault(key, 0L);
          if (refunded > paid) {
            violations.add("claim " + key + ": refunded " + refunded + " > paid " + paid);
          }
        });
    t.refundCounts.forEach(
        (key, count) -> {
          if (count != 1) {
            violations.add("refund " + key + " credited " + count + " times");
          }
        });
    AccountState state = t.state;
    if (state.balance() != t.credits - t.debits - t.removed) {
      violations.add(
          "account "
              + t.accountId
              + ": balance "
              + state.balance()
              + " != credits - debits - expired and voided "
              + (t.credits - t.debits - t.removed));
    }
    long inGrants = 0;
    long earmarked = 0;
    for (Grant g : state.grants().list()) {
      if (g.remaining() < 0 || g.earmarked() < 0) {
        violations.add("account " + t.accountId + ": grant " + g.grantId() + " is negative");
      }
      inGrants += g.remaining() + g.earmarked();
      earmarked += g.earmarked();
      Long tally = t.grantTally.get(g.grantId());
      if (tally != null && tally != g.remaining() + g.earmarked()) {
        violations.add(
            "account "
                + t.accountId
                + ": grant "
                + g.grantId()
                + " holds "
                + (g.remaining() + g.earmarked())
                + " of "
                + tally
                + " unspent");
      }
    }
    if (inGrants != state.balance() || earmarked != state.reserved()) {
      violations.add(
          "account "
              + t.accountId
              + ": balance "
              + state.balance()
              + " (reserved "
              + state.reserved()
              + ") != live grants "
              + inGrants
              + " (earmarked "
              + earmarked
              + ")");
    }
    if (state.balance() < 0 || state.reserved() > state.balance()) {
      violations.add("account " + t.accountId + ": negative balance or available");
    }
  }

  /** One lead's events, in sequence order, starting at its first event. */
  public void lead(String leadId, List<LeadEvent> events) {
    LeadState state = LeadState.empty();
    for (LeadEvent e : events) {
      try {
        state = state.apply(e);
      } catch (RuntimeException broken) {
        violations.add("lead " + leadId + ": " + broken.getMessage());
        return;
      }
    }
    if (state.confirmed().size() > state.maxClaims()) {
      violations.add(
          "lead "
              + leadId
              + ": "
              + state.confirmed().size()
              + " claims > maxClaims "
              + state.maxClaims());
    }
    if (state.confirmed().stream().map(LeadState.Confirmed::tradieId).distinct().count()
        != state.confirmed().size()) {
      violations.add("lead " + leadId + ": a tradie holds two claims");
    }
    leads.put(leadId, state);
  }

  public AuditReport report() {
    List<String> all = new ArrayList<>(violations);
    Map<String, String> knownClaims = new HashMap<>();
    for (Map.Entry<String, LeadState> lead : leads.entrySet()) {
      LeadState s = lead.getValue();
      for (LeadState.Confirmed c : s.confirmed()) {
        String key = c.tradieId() + "/" + c.claimId();
        knownClaims.put(key, lead.getKey());
        int count = claimDebitCounts.getOrDefault(key, 0);
        long paid = claimDebits.getOrDefault(key, 0L);
        if (count != 1 || paid != c.creditsUsed()) {
          all.add(
              "claim "
                  + c.claimId()
                  + " on lead "
                  + lead.getKey()
                  + ": "
                  + count
                  + " debits totalling "
                  + paid
                  + ", expected one of its price "
                  + c.creditsUsed());
        }
      }
      // A voided lead records a claim's refund only once the account took its credit.
      for (LeadState.Confirmed c : s.confirmed()) {
        String key = c.tradieId() + "/" + c.claimId();
        if (s.refunded().contains(c.claimId()) && claimRefunded.getOrDefault(key, 0L) <= 0) {
          all.add(
              "claim "
                  + c.claimId()
                  + " on voided lead "
                  + lead.getKey()
                  + ": recorded refunded, but no refund of it was credited");
        }
      }
      s.pending()
          .values()
          .forEach(p -> knownClaims.put(p.tradieId() + "/" + p.claimId(), lead.getKey()));
    }
    for (String debit : claimDebitCounts.keySet()) {
      if (!knownClaims.containsKey(debit)) {
        all.add(
            "claim debit "
                + debit
                + " (lead "
                + claimDebitLeads.get(debit)
                + ") belongs to no confirmed or pending claim");
      }
    }
    return AuditReport.of(all, accounts, leads.size());
  }
}
