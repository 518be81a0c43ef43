package io.leadcredits.audit;

import io.leadcredits.Ids;
import io.leadcredits.Limits;
import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.AccountState;
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
 */
public final class InvariantChecker {

  private final List<String> violations = new ArrayList<>();
  private final Map<String, Long> claimDebits = new HashMap<>(); // "account/claimId" -> amount
  private final Map<String, Integer> claimDebitCounts = new HashMap<>();
  private final Map<String, String> claimDebitLeads = new HashMap<>();
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
    private long events;
    private String broken;
    private final Map<String, Long> claimDebits = new HashMap<>();
    private final Map<String, Integer> claimDebitCounts = new HashMap<>();
    private final Map<String, String> claimDebitLeads = new HashMap<>();

    public AccountTrail(String accountId) {
      this.accountId = accountId;
    }

    public void accept(AccountEvent e) {
      events++;
      if (broken != null) {
        return;
      }
      try {
        state = state.apply(e);
      } catch (RuntimeException b) {
        broken = "account " + accountId + ": " + b.getMessage();
        return;
      }
      if (state.transactions().size() > Limits.transactionsInMemoryDefault) {
        state = state.keepingInMemory(Limits.transactionsInMemoryDefault);
      }
      switch (e.type()) {
        case CREDIT -> credits += e.entry().amount();
        case DEBIT, CAPTURE -> debits += e.entry().amount();
        case RESERVE, RELEASE, EXPIRE -> {}
      }
      if (e instanceof AccountEvent.Debited
          && e.entry().transactionId().startsWith(Ids.CLAIM_PREFIX)) {
        String key = accountId + "/" + e.entry().transactionId();
        claimDebits.merge(key, e.entry().amount(), Long::sum);
        claimDebitCounts.merge(key, 1, Integer::sum);
        claimDebitLeads.put(key, ClaimDebit.leadOf(e.entry().metadata()));
      }
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
    AccountState state = t.state;
    if (state.balance() != t.credits - t.debits) {
      violations.add(
          "account "
              + t.accountId
              + ": balance "
              + state.balance()
              + " != credits - debits "
              + (t.credits - t.debits));
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
