package io.leadcredits.support;

import io.leadcredits.Ids;
import io.leadcredits.Settings;
import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.AccountRules;
import io.leadcredits.account.AccountState;
import io.leadcredits.account.AccountState.HoldEnd;
import io.leadcredits.audit.AuditReport;
import io.leadcredits.audit.InvariantChecker;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.claim.ClaimResult;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.engine.LeadList;
import io.leadcredits.engine.Readiness;
import io.leadcredits.engine.TrailPage;
import io.leadcredits.lead.LeadDecision;
import io.leadcredits.lead.LeadEvent;
import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadReply;
import io.leadcredits.lead.LeadRules;
import io.leadcredits.lead.LeadState;
import io.leadcredits.lead.LeadStatus;
import io.leadcredits.lead.LeadView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The credit engine in one process, without actors or a database: every account's and lead's state
 * is kept in memory, every command is decided by the rulebooks the entities use ({@link
 * AccountRules}, {@link LeadRules}) and the accepted events are folded into the state with its own
 * {@code apply}. The answers are the actor engine's reply types, built as its entities build them.
 * One lock guards everything, so a claim (take a slot, debit the account with the claim's id,
 * confirm or give back the slot) is one step and never leaves a slot pending.
 *
 * <p>Expiries are recorded as the baselines record them: lazily, by the next accepted change of the
 * account (the rulebook does that), as there is no sweeper. Nothing is forgotten: every transaction
 * id stays in memory.
 *
 * <p>The HTTP tests put it behind the routes, with the hooks at the end of this class to make calls
 * fail as a real engine's can; the differential test holds every engine to it.
 */
public final class InMemoryEngine implements CreditEngine {

  /** How the calls after {@link #fault} go wrong, as a real engine's calls can. */
  public enum Fault {
    NONE,
    /** The stage fails, as an ask that timed out: the outcome is unknown. */
    FAILED_STAGE,
    /** The call throws instead of returning a stage: a bug in the engine. */
    THROWS,
    /** Changes are answered unavailable (a claim: pending), as with the journal unreachable. */
    UNAVAILABLE,
    /** Every call waits until {@link #releaseHanging}; {@link #hanging} counts them. */
    HANGS
  }

  private final Settings settings;
  private final AccountRules.Bounds bounds;
  private final Clock clock;

  // Guarded by this.
  private final Map<String, AccountState> accounts = new HashMap<>();
  private final Map<String, List<AccountEvent>> accountEvents = new HashMap<>();
  private final Map<String, LeadState> leads = new LinkedHashMap<>(); // in order of creation
  private final Map<String, List<LeadEvent>> leadEvents = new HashMap<>();

  private volatile Fault fault = Fault.NONE;
  private volatile CompletableFuture<Void> hangUntil = new CompletableFuture<>();
  private final AtomicInteger hanging = new AtomicInteger();
  private volatile Readiness readiness = Readiness.up();
  private volatile List<Object> lastCall = List.of();

  /** With the shipped settings and the system clock. */
  public InMemoryEngine() {
    this(TestSettings.defaults(), Clock.systemUTC());
  }

  public InMemoryEngine(Settings settings, Clock clock) {
    this.settings = settings;
    this.bounds =
        new AccountRules.Bounds(
            settings.holdsPerAccountMax(), settings.holdTtlDefault(), settings.holdTtlMax());
    this.clock = clock;
  }

  // ---- accounts -----------------------------------------------------------------------------

  @Override
  public CompletionStage<AccountReply> credit(
      String accountId, String transactionId, long amount, Map<String, String> metadata) {
    called("credit", accountId, transactionId, amount, metadata);
    return change(
        accountId,
        (state, now) ->
            AccountRules.credit(
                state, state.transaction(transactionId), transactionId, amount, metadata, now));
  }

  @Override
  public CompletionStage<AccountReply> debit(
      String accountId, String transactionId, long amount, Map<String, String> metadata) {
    called("debit", accountId, transactionId, amount, metadata);
    return change(
        accountId,
        (state, now) ->
            AccountRules.debit(
                state, state.transaction(transactionId), transactionId, amount, metadata, now));
  }

  @Override
  public CompletionStage<AccountReply> reserve(
      String accountId, String holdId, long amount, Duration ttl, Map<String, String> metadata) {
    called("reserve", accountId, holdId, amount, ttl, metadata);
    return change(
        accountId,
        (state, now) ->
            AccountRules.reserve(
                state, bounds, state.transaction(holdId), holdId, amount, ttl, metadata, now));
  }

  @Override
  public CompletionStage<AccountReply> capture(String accountId, String holdId) {
    called("capture", accountId, holdId);
    return change(
        accountId,
        (state, now) ->
            AccountRules.endHold(state, state.transaction(holdId), holdId, HoldEnd.CAPTURED, now));
  }

  @Override
  public CompletionStage<AccountReply> release(String accountId, String holdId) {
    called("release", accountId, holdId);
    return change(
        accountId,
        (state, now) ->
            AccountRules.endHold(state, state.transaction(holdId), holdId, HoldEnd.RELEASED, now));
  }

  /** A read shows the account as it is; it changes nothing, so it is never unavailable. */
  @Override
  public CompletionStage<AccountReply> account(String accountId) {
    called("account", accountId);
    return answer(() -> read(accountId));
  }

  private synchronized AccountReply read(String accountId) {
    AccountState state = accountState(accountId);
    AccountRules.Decision d = AccountRules.get(state, accountId);
    if (d instanceof AccountRules.Reject r) {
      return new AccountReply.Rejected(r.reason(), r.detail());
    }
    return new AccountReply.Accepted(
        state.view(accountId, clock.instant()), state.balance(), false);
  }

  /** A rule of the account's rulebook, given the account's state and now. */
  private interface AccountRule {
    AccountRules.Decision decide(AccountState state, Instant now);
  }

  private CompletionStage<AccountReply> change(String accountId, AccountRule rule) {
    return answer(
        () ->
            fault == Fault.UNAVAILABLE
                ? new AccountReply.Unavailable("the journal is unreachable (a test's fault)")
                : decide(accountId, rule));
  }

  /** Decides with the rulebook and folds what it accepted into the account. */
  private synchronized AccountReply decide(String accountId, AccountRule rule) {
    Instant now = clock.instant();
    AccountState state = accountState(accountId);
    AccountRules.Decision d = rule.decide(state, now);
    if (d instanceof AccountRules.Reject r) {
      return new AccountReply.Rejected(r.reason(), r.detail());
    }
    AccountRules.Accept a = (AccountRules.Accept) d;
    for (AccountEvent e : a.events()) {
      state = state.apply(e);
    }
    accounts.put(accountId, state);
    accountEvents.computeIfAbsent(accountId, id -> new ArrayList<>()).addAll(a.events());
    return new AccountReply.Accepted(state.view(accountId, now), a.balanceAfter(), a.replayed());
  }

  private AccountState accountState(String accountId) {
    return accounts.getOrDefault(accountId, AccountState.empty());
  }

  // ---- leads and claims ---------------------------------------------------------------------

  @Override
  public CompletionStage<LeadReply> createLead(
      String leadId, long creditCost, int maxClaims, Instant expiresAt) {
    called("createLead", leadId, creditCost, maxClaims, expiresAt);
    return answer(
        () ->
            onLead(
                leadId,
                (rules, state, now) -> rules.create(state, creditCost, maxClaims, expiresAt, now)));
  }

  @Override
  public CompletionStage<LeadReply> lead(String leadId) {
    called("lead", leadId);
    return answer(() -> onLead(leadId, (rules, state, now) -> rules.read(state)));
  }

  @Override
  public CompletionStage<LeadReply> closeLead(String leadId) {
    called("closeLead", leadId);
    return answer(() -> onLead(leadId, (rules, state, now) -> rules.close(state, now)));
  }

  /** A rule of the lead's rulebook on the lead itself. */
  private interface LeadRule {
    LeadDecision.OnLead decide(LeadRules rules, LeadState state, Instant now);
  }

  private synchronized LeadReply onLead(String leadId, LeadRule rule) {
    Instant now = clock.instant();
    LeadDecision.OnLead d = rule.decide(new LeadRules(leadId), leadState(leadId), now);
    if (d instanceof LeadDecision.Reject r) {
      return new LeadReply.Rejected(r.rejection(), r.detail());
    }
    LeadDecision.Accept a = (LeadDecision.Accept) d;
    LeadState after = a.events().isEmpty() ? leadState(leadId) : applyToLead(leadId, a.events());
    return new LeadReply.Accepted(after.view(leadId, now), a.replayed());
  }

  @Override
  public CompletionStage<ClaimReply> claim(String leadId, String tradieId) {
    called("claim", leadId, tradieId);
    return answer(
        () ->
            fault == Fault.UNAVAILABLE
                ? new ClaimReply.Pending(
                    Ids.claimId(leadId, tradieId), "the account did not answer (a test's fault)")
                : decideClaim(leadId, tradieId));
  }

  /**
   * The claim process in one step: the lead decides; a slot taken is paid by a debit with the
   * claim's id and metadata (as {@code ClaimProcess} sends it), then confirmed, or given back when
   * the account refuses.
   */
  private synchronized ClaimReply decideClaim(String leadId, String tradieId) {
    Instant now = clock.instant();
    LeadRules rules = new LeadRules(leadId);
    LeadDecision.OnClaim d = rules.claim(leadState(leadId), tradieId, now);
    if (d instanceof LeadDecision.AlreadyWon won) {
      LeadState.Confirmed c = won.claim();
      return new ClaimReply.Claimed(
          new ClaimResult(c.claimId(), leadId, c.tradieId(), c.creditsUsed(), c.balanceAfter()),
          true);
    }
    if (d instanceof LeadDecision.Reject r) {
      return new ClaimReply.Rejected(r.rejection(), r.detail());
    }
    if (!(d instanceof LeadDecision.TakeSlot take)) {
      throw new IllegalStateException("a slot left pending in a synchronous engine: " + d);
    }
    LeadState held = applyToLead(leadId, List.of(take.event()));
    String claimId = take.event().claimId();
    Map<String, String> metadata =
        Map.of("leadId", leadId, "claimId", claimId, "reason", "lead claim");
    long cost = held.creditCost();
    AccountReply paid =
        decide(
            tradieId,
            (state, at) ->
                AccountRules.debit(state, state.transaction(claimId), claimId, cost, metadata, at));
    if (paid instanceof AccountReply.Rejected refused) {
      LeadDecision.OnPayment release = rules.release(held, claimId, refused.reason(), now);
      applyToLead(leadId, List.of(((LeadDecision.Release) release).event()));
      return new ClaimReply.Rejected(refused.reason(), refused.detail());
    }
    long balanceAfter = ((AccountReply.Accepted) paid).balanceAfter();
    LeadDecision.OnPayment confirm = rules.confirm(held, claimId, balanceAfter, now);
    ClaimConfirmed c = ((LeadDecision.Confirm) confirm).event();
    applyToLead(leadId, List.of(c));
    return new ClaimReply.Claimed(
        new ClaimResult(claimId, leadId, tradieId, c.creditsUsed(), c.balanceAfter()), false);
  }

  private LeadState applyToLead(String leadId, List<? extends LeadEvent> events) {
    LeadState state = leadState(leadId);
    for (LeadEvent e : events) {
      state = state.apply(e);
    }
    leads.put(leadId, state);
    leadEvents.computeIfAbsent(leadId, id -> new ArrayList<>()).addAll(events);
    return state;
  }

  private LeadState leadState(String leadId) {
    return leads.getOrDefault(leadId, LeadState.empty());
  }

  // ---- reads over everything ----------------------------------------------------------------

  /** Newest first: the order of creation, reversed. */
  @Override
  public CompletionStage<LeadList> leads(LeadStatus status, int limit) {
    called("leads", status, limit);
    return answer(() -> listLeads(status, limit));
  }

  private synchronized LeadList listLeads(LeadStatus status, int limit) {
    Instant now = clock.instant();
    Map<LeadStatus, Long> counts = new EnumMap<>(LeadStatus.class);
    List<LeadView> newest = new ArrayList<>();
    List<String> ids = new ArrayList<>(leads.keySet());
    for (int i = ids.size() - 1; i >= 0; i--) {
      LeadView view = leads.get(ids.get(i)).view(ids.get(i), now);
      counts.merge(view.status(), 1L, Long::sum);
      if ((status == null || view.status() == status) && newest.size() < limit) {
        newest.add(view);
      }
    }
    return new LeadList(counts, newest);
  }

  @Override
  public CompletionStage<TrailPage> transactions(String accountId, long afterVersion, int limit) {
    called("transactions", accountId, afterVersion, limit);
    return answer(() -> trail(accountId, afterVersion, limit));
  }

  private synchronized TrailPage trail(String accountId, long afterVersion, int limit) {
    List<AccountEvent> events = accountEvents.getOrDefault(accountId, List.of());
    List<TrailPage.Item> items = new ArrayList<>();
    for (long v = afterVersion + 1; v <= events.size() && items.size() < limit; v++) {
      items.add(TrailPage.Item.of(v, events.get((int) v - 1)));
    }
    return TrailPage.of(items, limit);
  }

  @Override
  public CompletionStage<AuditReport> audit() {
    called("audit");
    return answer(this::check);
  }

  private synchronized AuditReport check() {
    InvariantChecker checker = new InvariantChecker();
    accountEvents.forEach(checker::account);
    leadEvents.forEach(checker::lead);
    return checker.report();
  }

  @Override
  public CompletionStage<Readiness> readiness() {
    Readiness now = readiness;
    return now == null ? new CompletableFuture<>() : CompletableFuture.completedFuture(now);
  }

  /** The settings this engine was built with. */
  public Settings settings() {
    return settings;
  }

  // ---- test hooks ---------------------------------------------------------------------------

  /** From now on, every call goes wrong this way ({@link Fault#NONE}: none does). */
  public void fault(Fault fault) {
    if (fault == Fault.HANGS) {
      hangUntil = new CompletableFuture<>();
    }
    this.fault = fault;
  }

  /** Calls waiting under {@link Fault#HANGS}. */
  public int hanging() {
    return hanging.get();
  }

  /** Lets every waiting call go on; they are decided now, in the order they resume. */
  public void releaseHanging() {
    hangUntil.complete(null);
  }

  /** What the readiness check answers; null: it never answers, as on a stuck connection. */
  public void readiness(Readiness readiness) {
    this.readiness = readiness;
  }

  /** The name and arguments of the last call, for tests of what reached the engine. */
  public List<Object> lastCall() {
    return lastCall;
  }

  private void called(Object... call) {
    lastCall = Arrays.asList(call); // the arguments may be null: a ttl, an expiry, a status
  }

  private <T> CompletionStage<T> answer(Supplier<T> reply) {
    switch (fault) {
      case FAILED_STAGE:
        return CompletableFuture.failedFuture(
            new TimeoutException("ask timed out (a test's fault)"));
      case THROWS:
        throw new IllegalStateException("the engine blew up (a test's fault)");
      case HANGS:
        hanging.incrementAndGet();
        return hangUntil.thenApply(
            ignored -> {
              hanging.decrementAndGet();
              return reply.get();
            });
      default:
        return CompletableFuture.completedFuture(reply.get());
    }
  }
}
