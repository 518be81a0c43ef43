package io.leadcredits.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.Ids;
import io.leadcredits.refund.RefundRules;
import io.leadcredits.testkit.LedgerSnapshot.TrailEntry;
import io.leadcredits.testkit.LedgerSnapshot.TrailFold;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * The client-side ledger checker of every fault test and of the benchmark: records each operation a
 * client sends as ok (2xx), failed (a definite 4xx) or unknown (5xx, timeout, no answer), and
 * checks the service's own record of it ({@link #check}) against DESIGN.md's invariants:
 *
 * <ul>
 *   <li>every ok operation is in its account's audit trail exactly once, no failed one is, and an
 *       unknown one is all or nothing (at most once);
 *   <li>every trail chains (each balanceBefore/reservedBefore is the previous after), each entry's
 *       arithmetic is right, balances and reservations fold from the trail to the account's view,
 *       nothing is negative, no transaction appears twice and nothing appears that nobody sent;
 *   <li>every hold ended at most once (captured, released or expired), after it was taken, and a
 *       hold not ended is still open, or due;
 *   <li>every lead has at most maxClaims claims, no tradie twice, each claim paid by exactly one
 *       debit of its cost with its claim id, and every claim debit belongs to a confirmed claim;
 *   <li>every approved refund is credited exactly once (a REFUND entry of the approved amount), a
 *       rejected one never, every confirmed claim of a voided lead exactly once, nothing else, and
 *       Σ refunded per claim ≤ what the claim paid.
 * </ul>
 *
 * The benchmark checks what its clients were told ({@link #checkAcknowledged}): every acknowledged
 * change in its trail once, balances as the acknowledged changes imply, leads within maxClaims with
 * every acknowledged claim. The log also resolves unknowns (re-sends them with the same transaction
 * id until the answer is definite) and re-sends every acknowledged operation to prove that a replay
 * changes nothing. It reads the service only over HTTP, so it checks any engine behind the API.
 * Thread-safe for recording; run the checks while nothing else writes.
 */
public final class OperationLog {

  public enum Kind {
    CREDIT,
    DEBIT,
    RESERVE,
    CAPTURE,
    RELEASE,
    CLAIM,
    /** The claim's tradie asks for a refund of a confirmed claim: no trail entry. */
    REFUND_REQUEST,
    /** The admin approves a refund: one REFUND entry of the amount (or the price paid). */
    REFUND_APPROVE,
    /** The admin rejects a refund: no trail entry. */
    REFUND_REJECT,
    /** The admin voids a lead: one full REFUND per confirmed claim of the lead. */
    LEAD_VOID
  }

  public enum Outcome {
    /** A 2xx: the change is acknowledged and must never be lost. */
    OK,
    /** A 4xx: definitely refused, must have changed nothing. */
    FAILED,
    /** A 5xx, a timeout or no answer: it happened entirely or not at all. */
    UNKNOWN;

    /** The outcome of a status; 0 or less (no answer, a timeout) is unknown. */
    public static Outcome of(int status) {
      if (status >= 200 && status < 300) {
        return OK;
      }
      return status >= 400 && status < 500 ? FAILED : UNKNOWN;
    }
  }

  /** Who sends an operation: the admin, or the tradie who owns its account. */
  public enum Sender {
    ADMIN,
    OWNER
  }

  /**
   * One request, enough to send it again. Ids are the caller's: unique per operation. Credits and
   * debits are the admin's; holds and claims the owner's, unless {@link #byAdmin()}.
   */
  public record Operation(
      Kind kind,
      String accountId,
      String transactionId,
      String leadId,
      long amount,
      long ttlSeconds,
      Sender sender,
      Instant promotionExpiresAt) {

    public Operation(
        Kind kind,
        String accountId,
        String transactionId,
        String leadId,
        long amount,
        long ttlSeconds,
        Sender sender) {
      this(kind, accountId, transactionId, leadId, amount, ttlSeconds, sender, null);
    }

    public static Operation credit(String accountId, String transactionId, long amount) {
      return new Operation(Kind.CREDIT, accountId, transactionId, null, amount, 0, Sender.ADMIN);
    }

    /**
     * A top-up as a promotional grant that expires at {@code expiresAt}: sent after that (a retry
     * of an unknown outcome), it is refused 400 unless it was applied before.
     */
    public static Operation promotion(
        String accountId, String transactionId, long amount, Instant expiresAt) {
      return new Operation(
          Kind.CREDIT, accountId, transactionId, null, amount, 0, Sender.ADMIN, expiresAt);
    }

    public static Operation debit(String accountId, String transactionId, long amount) {
      return new Operation(Kind.DEBIT, accountId, transactionId, null, amount, 0, Sender.ADMIN);
    }

    /** A hold; a {@code ttlSeconds} of 0 leaves the service's default. */
    public static Operation reserve(String accountId, String holdId, long amount, long ttlSeconds) {
      return new Operation(Kind.RESERVE, accountId, holdId, null, amount, ttlSeconds, Sender.OWNER);
    }

    public static Operation capture(String accountId, String holdId) {
      return new Operation(Kind.CAPTURE, accountId, holdId, null, 0, 0, Sender.OWNER);
    }

    public static Operation release(String accountId, String holdId) {
      return new Operation(Kind.RELEASE, accountId, holdId, null, 0, 0, Sender.OWNER);
    }

    /**
     * The tradie's claim. It carries no transaction id: the service derives the claim id, and so
     * does {@link #trailKey()}, only when the checks need it (a load generator sends many claims).
     */
    public static Operation claim(String leadId, String tradieId) {
      return new Operation(Kind.CLAIM, tradieId, null, leadId, 0, 0, Sender.OWNER);
    }

    /** The tradie asks for a refund of their claim on the lead; its id follows from the claim's. */
    public static Operation requestRefund(String leadId, String tradieId) {
      return new Operation(
          Kind.REFUND_REQUEST, tradieId, refundId(leadId, tradieId), leadId, 0, 0, Sender.OWNER);
    }

    /** The admin approves that refund: {@code amount} credits, or the price paid when 0. */
    public static Operation approveRefund(String leadId, String tradieId, long amount) {
      return new Operation(
          Kind.REFUND_APPROVE,
          tradieId,
          refundId(leadId, tradieId),
          leadId,
          amount,
          0,
          Sender.ADMIN);
    }

    public static Operation rejectRefund(String leadId, String tradieId) {
      return new Operation(
          Kind.REFUND_REJECT, tradieId, refundId(leadId, tradieId), leadId, 0, 0, Sender.ADMIN);
    }

    /** The admin voids the lead; it names no account (its refunds go to the claims' tradies). */
    public static Operation voidLead(String leadId) {
      return new Operation(Kind.LEAD_VOID, null, null, leadId, 0, 0, Sender.ADMIN);
    }

    private static String refundId(String leadId, String tradieId) {
      return RefundRules.refundIdOf(Ids.claimId(leadId, tradieId));
    }

    /** The same operation sent with the admin's token. */
    public Operation byAdmin() {
      return new Operation(
          kind,
          accountId,
          transactionId,
          leadId,
          amount,
          ttlSeconds,
          Sender.ADMIN,
          promotionExpiresAt);
    }

    /** The trail entry this operation leaves when it is applied. */
    TrailKey trailKey() {
      return switch (kind) {
        case CLAIM -> new TrailKey(accountId, Ids.claimId(leadId, accountId), "DEBIT");
        case REFUND_APPROVE -> new TrailKey(accountId, transactionId, "REFUND");
        default -> new TrailKey(accountId, transactionId, kind.name());
      };
    }

    /** A refund decision or a void: checked against the refunds in the trails, not one by one. */
    boolean refunds() {
      return kind == Kind.REFUND_REQUEST
          || kind == Kind.REFUND_APPROVE
          || kind == Kind.REFUND_REJECT
          || kind == Kind.LEAD_VOID;
    }

    /** The request, with its sender's token. */
    public Request request(Tokens tokens) {
      String token = sender == Sender.ADMIN ? tokens.admin() : tokens.tradie(accountId);
      String account = accountId == null ? null : "/api/accounts/" + accountId;
      return switch (kind) {
        case CREDIT ->
            Request.post(
                account + "/credits",
                token,
                promotionExpiresAt == null
                    ? amountBody()
                    : "{\"amount\":"
                        + amount
                        + ",\"transactionId\":\""
                        + transactionId
                        + "\",\"category\":\"promotional\",\"expiresAt\":\""
                        + promotionExpiresAt
                        + "\"}");
        case DEBIT -> Request.post(account + "/debits", token, amountBody());
        case RESERVE ->
            Request.post(
                account + "/reservations",
                token,
                ttlSeconds == 0
                    ? amountBody()
                    : "{\"amount\":"
                        + amount
                        + ",\"transactionId\":\""
                        + transactionId
                        + "\",\"ttlSeconds\":"
                        + ttlSeconds
                        + "}");
        case CAPTURE ->
            Request.post(account + "/reservations/" + transactionId + "/capture", token, null);
        case RELEASE ->
            new Request("DELETE", account + "/reservations/" + transactionId, token, null);
        case CLAIM -> Request.post("/api/leads/" + leadId + "/claim", token, null);
        case REFUND_REQUEST ->
            Request.post(
                "/api/claims/" + Ids.claimId(leadId, accountId) + "/refund-requests",
                token,
                "{\"reason\":\"CUSTOMER_UNREACHABLE\"}");
        case REFUND_APPROVE ->
            Request.post(
                "/api/refunds/" + transactionId + "/approve",
                token,
                amount == 0 ? "{\"note\":\"load\"}" : "{\"amount\":" + amount + "}");
        case REFUND_REJECT ->
            Request.post("/api/refunds/" + transactionId + "/reject", token, "{\"note\":\"load\"}");
        case LEAD_VOID ->
            Request.post("/api/leads/" + leadId + "/void", token, "{\"reason\":\"load\"}");
      };
    }

    private String amountBody() {
      return "{\"amount\":" + amount + ",\"transactionId\":\"" + transactionId + "\"}";
    }
  }

  /** What came back: the status and problem code, or the transport error when nothing did. */
  public record Result(
      Operation operation,
      Outcome outcome,
      int status,
      String code,
      JsonNode body,
      boolean replayed,
      String error) {
    static Result of(Operation op, Reply r) {
      String code = r.code();
      return new Result(op, Outcome.of(r.status()), r.status(), code, r.body(), r.replayed(), null);
    }

    static Result noAnswer(Operation op, Throwable e) {
      Throwable cause = e.getCause() != null && !(e instanceof IOException) ? e.getCause() : e;
      return new Result(op, Outcome.UNKNOWN, 0, null, null, false, cause.toString());
    }
  }

  /** A lead as it was created. */
  public record Lead(long creditCost, int maxClaims) {}

  /** Identifies a trail entry: which account, which transaction, which kind of change. */
  record TrailKey(String accountId, String transactionId, String type) {}

  /** Pause between attempts to resolve an unknown outcome. */
  private static final Duration retryPause = Duration.ofMillis(200);

  /** Unknown outcomes re-sent at once. */
  private static final int resendsInFlightMax = 32;

  private final Map<Operation, Result> results = new ConcurrentHashMap<>();
  private final Map<String, Lead> leads = new ConcurrentHashMap<>();
  private final Set<String> accounts = ConcurrentHashMap.newKeySet();
  private final AtomicLong unknownsSeen = new AtomicLong();

  /** Sends the operation once and records what came of it. */
  public Result send(HttpApi api, Operation op) {
    return sendAsync(api, op).join();
  }

  /** Sends the operation once; the result, once recorded. */
  public CompletableFuture<Result> sendAsync(HttpApi api, Operation op) {
    addAccount(op);
    return api.sendAsync(op.request(api.tokens()))
        .handle(
            (reply, failure) -> {
              Result result = failure == null ? Result.of(op, reply) : Result.noAnswer(op, failure);
              put(result);
              return result;
            });
  }

  private void addAccount(Operation op) {
    if (op.accountId() != null) {
      accounts.add(op.accountId());
    }
  }

  private void put(Result result) {
    if (result.outcome() == Outcome.UNKNOWN) {
      unknownsSeen.incrementAndGet();
    }
    results.put(result.operation(), result);
  }

  /**
   * Records an answer another client got (a load generator's): its status (0 when no answer came)
   * and problem code.
   */
  public void record(Operation op, int status, String code) {
    addAccount(op);
    put(
        status > 0
            ? new Result(op, Outcome.of(status), status, code, null, false, null)
            : new Result(op, Outcome.UNKNOWN, 0, null, null, false, "no answer"));
  }

  /** Re-sends with the same transaction id until the answer is definite or the deadline passes. */
  public Result sendUntilDefinite(HttpApi api, Operation op, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    Result r = send(api, op);
    while (r.outcome() == Outcome.UNKNOWN && System.nanoTime() < end) {
      pause();
      r = send(api, op);
    }
    return r;
  }

  /** Registers a lead the checks should cover. */
  public void lead(String leadId, long creditCost, int maxClaims) {
    leads.put(leadId, new Lead(creditCost, maxClaims));
  }

  /**
   * Re-sends every operation whose outcome is unknown until its answer is definite: the retry with
   * the same transaction id converges on the truth (a replay if the first attempt landed, the
   * change now if it did not). Returns the operations still unknown at the deadline.
   */
  public List<Operation> resolveUnknown(HttpApi api, Duration deadline) {
    return resolveUnknown(api, Integer.MAX_VALUE, deadline);
  }

  /**
   * Re-sends every operation whose outcome is unknown, many at once, in rounds until none is
   * unknown, {@code roundsMax} rounds have been sent or the deadline has passed. Returns the
   * operations still unknown.
   */
  public List<Operation> resolveUnknown(HttpApi api, int roundsMax, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    for (int round = 0; round < roundsMax && System.nanoTime() < end; round++) {
      List<Operation> unknown = unknown();
      if (unknown.isEmpty()) {
        break;
      }
      if (round > 0) {
        pause();
      }
      try {
        InFlight.each(unknown.size(), resendsInFlightMax, i -> sendAsync(api, unknown.get(i)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return unknown();
  }

  private List<Operation> unknown() {
    return results.values().stream()
        .filter(r -> r.outcome() == Outcome.UNKNOWN)
        .map(Result::operation)
        .toList();
  }

  /** Accounts an operation whose outcome is still unknown may have changed. */
  public Set<String> uncertainAccounts() {
    Set<String> uncertain = new TreeSet<>();
    unknown().stream()
        .filter(op -> op.accountId() != null)
        .forEach(op -> uncertain.add(op.accountId()));
    return uncertain;
  }

  /** How many accounts and leads the checks cover. */
  public int accountCount() {
    return accounts.size();
  }

  public int leadCount() {
    return leads.size();
  }

  /**
   * Re-sends every acknowledged operation with its transaction id, from {@code threads} clients at
   * once. Each must answer 2xx with its first status, marked as a replay; a claim must answer the
   * same claim, cost and balance. Returns what did not.
   */
  public List<String> resendAcknowledged(HttpApi api, int threads) throws InterruptedException {
    List<Result> acknowledged =
        results.values().stream().filter(r -> r.outcome() == Outcome.OK).toList();
    Set<String> voided = voidedLeads();
    List<String> violations = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (Result first : acknowledged) {
        sent.add(pool.submit(() -> compareReplay(api, first, voided, violations)));
      }
      for (Future<?> f : sent) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new AssertionError("re-sending failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return List.copyOf(violations);
  }

  private static void compareReplay(
      HttpApi api, Result first, Set<String> voided, List<String> violations) {
    Operation op = first.operation();
    Result again;
    try {
      again = Result.of(op, api.send(op.request(api.tokens())));
    } catch (IOException | InterruptedException e) {
      violations.add(op + ": no answer to the re-send: " + e);
      return;
    }
    if (op.kind() == Kind.CLAIM && voided.contains(op.leadId())) {
      // A voided lead refuses every claim before anything else, a winner's retry included; its
      // refund is checked with the trails.
      if (again.status() != 409 || !"LEAD_CLOSED".equals(again.code())) {
        violations.add(op + ": re-sent to a voided lead, answered " + again.status());
      }
    } else if (again.status() != first.status() || !again.replayed()) {
      violations.add(
          op
              + ": first "
              + first.status()
              + ", re-sent "
              + again.status()
              + (again.replayed() ? " (replayed)" : " (not marked as a replay)")
              + " "
              + again.body());
    } else if (op.kind() == Kind.CLAIM && !sameClaim(first.body(), again.body())) {
      violations.add(op + ": claim answered " + first.body() + ", then " + again.body());
    }
  }

  /** The leads a void was acknowledged for. */
  private Set<String> voidedLeads() {
    Set<String> voided = new HashSet<>();
    results.values().stream()
        .filter(r -> r.operation().kind() == Kind.LEAD_VOID && r.outcome() == Outcome.OK)
        .forEach(r -> voided.add(r.operation().leadId()));
    return voided;
  }

  private static boolean sameClaim(JsonNode a, JsonNode b) {
    for (String field : List.of("claimId", "leadId", "tradieId", "creditsUsed", "balance")) {
      if (a == null || b == null || !a.path(field).equals(b.path(field))) {
        return false;
      }
    }
    return true;
  }

  /** What the service shows now of every account and lead this log touched. */
  public LedgerSnapshot read(HttpApi api) {
    return LedgerSnapshot.read(api, new TreeSet<>(accounts), new TreeSet<>(leads.keySet()));
  }

  /** {@link #read(HttpApi)} keeping no trail: each page goes to {@code fold} instead. */
  public LedgerSnapshot read(HttpApi api, TrailFold fold) {
    return LedgerSnapshot.read(api, new TreeSet<>(accounts), new TreeSet<>(leads.keySet()), fold);
  }

  public List<Result> results() {
    return List.copyOf(results.values());
  }

  public Map<Outcome, Long> counts() {
    Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      counts.put(o, 0L);
    }
    results.values().forEach(r -> counts.merge(r.outcome(), 1L, Long::sum));
    return counts;
  }

  /** Every answer that was not a definite answer, including those resolved later. */
  public long unknownsSeen() {
    return unknownsSeen.get();
  }

  /** Definite refusals by problem code, to tell expected refusals from surprises. */
  public Map<String, Long> failureCodes() {
    return failureCodes(op -> true);
  }

  /** {@link #failureCodes()} of the operations {@code which} accepts. */
  public Map<String, Long> failureCodes(java.util.function.Predicate<Operation> which) {
    Map<String, Long> codes = new HashMap<>();
    results.values().stream()
        .filter(r -> r.outcome() == Outcome.FAILED && which.test(r.operation()))
        .forEach(r -> codes.merge(r.status() + " " + r.code(), 1L, Long::sum));
    return codes;
  }

  // ---- the checks ---------------------------------------------------------------------------

  /**
   * Every violation of the invariants in {@code ledger}, read when nothing was writing. Holds due
   * before {@code now} may still be open (their expiry is recorded by the next wake-up).
   */
  public List<String> check(LedgerSnapshot ledger, Instant now) {
    List<String> violations = new ArrayList<>();
    Map<TrailKey, Integer> inTrails = inTrails(ledger);
    for (Result r : results.values()) {
      if (!r.operation().refunds()) {
        checkOperation(r, k -> inTrails.getOrDefault(k, 0), ledger, violations);
      }
    }
    Set<TrailKey> sent = new HashSet<>();
    results.keySet().forEach(op -> sent.add(op.trailKey()));
    forEachAccount(
        ledger,
        violations,
        (account, trail, view) -> {
          checkTrail(account, trail, view, violations);
          checkHolds(account, trail, view, now, violations);
          checkNothingUnsent(account, trail, sent, violations);
        });
    checkLeads(ledger, inTrails, violations);
    checkRefunds(ledger, violations);
    return violations;
  }

  /**
   * What the clients were told, against {@code ledger}: every acknowledged change is in its trail
   * exactly once; each balance is its trail's last balanceAfter and, unless an outcome on the
   * account is still unknown, what the acknowledged changes imply; every lead has at most maxClaims
   * claims, among them every acknowledged one.
   */
  public List<String> checkAcknowledged(LedgerSnapshot ledger) {
    Acknowledged fold = acknowledged();
    ledger.trails().forEach(fold::page);
    return fold.violations(ledger);
  }

  /**
   * {@link #checkAcknowledged} in two steps, for trails too long to hold: feed the fold every page
   * of the trails ({@link LedgerSnapshot#read(HttpApi, Collection, Collection, TrailFold)}), then
   * ask it for the violations against the views read with them.
   */
  public Acknowledged acknowledged() {
    return new Acknowledged();
  }

  /**
   * What {@link #checkAcknowledged} needs of the trails, folded a page at a time: how often each
   * acknowledged change appears, and each account's last balanceAfter.
   */
  public final class Acknowledged implements LedgerSnapshot.TrailFold {
    private final Map<TrailKey, AtomicInteger> times = new ConcurrentHashMap<>();
    private final Map<String, Long> lastBalance = new ConcurrentHashMap<>();
    private final Set<String> folded = ConcurrentHashMap.newKeySet();

    private Acknowledged() {
      results.values().stream()
          .filter(r -> r.outcome() == Outcome.OK)
          .forEach(r -> times.put(r.operation().trailKey(), new AtomicInteger()));
    }

    @Override
    public void page(String account, List<TrailEntry> items) {
      folded.add(account);
      for (TrailEntry e : items) {
        AtomicInteger seen = times.get(new TrailKey(account, e.transactionId(), e.type()));
        if (seen != null) {
          seen.incrementAndGet();
        }
      }
      if (!items.isEmpty()) {
        lastBalance.put(account, items.get(items.size() - 1).balanceAfter());
      }
    }

    /** The violations, once every page of every account was folded; {@code views} its views. */
    public List<String> violations(LedgerSnapshot views) {
      List<String> violations = new ArrayList<>();
      Map<String, Long> implied = new HashMap<>();
      Map<TrailKey, Long> holds = new HashMap<>();
      results.keySet().stream()
          .filter(op -> op.kind() == Kind.RESERVE)
          .forEach(op -> holds.put(op.trailKey(), op.amount()));
      for (Result r : results.values()) {
        if (r.outcome() == Outcome.OK) {
          checkOperation(r, k -> times.get(k).get(), views, violations);
          implied.merge(r.operation().accountId(), balanceEffect(r.operation(), holds), Long::sum);
        }
      }
      Set<String> uncertain = uncertainAccounts();
      for (String account : new TreeSet<>(accounts)) {
        JsonNode view = views.accounts().get(account);
        if (view == null || !folded.contains(account)) {
          violations.add("account " + account + ": not in the snapshot");
          continue;
        }
        long balance = view.get("balance").asLong();
        // An empty trail means nothing ever changed the account: its balance must be 0.
        long last = lastBalance.getOrDefault(account, 0L);
        if (balance != last) {
          violations.add("account " + account + ": balance " + balance + " != trail " + last);
        }
        long acknowledged = implied.getOrDefault(account, 0L);
        if (!uncertain.contains(account) && balance != acknowledged) {
          violations.add(
              "account " + account + ": balance " + balance + " != acknowledged " + acknowledged);
        }
      }
      leads.forEach(
          (leadId, lead) -> {
            JsonNode view = views.leads().get(leadId);
            if (view == null) {
              violations.add("lead " + leadId + ": not in the snapshot");
            } else if (view.get("claims").size() > lead.maxClaims()) {
              violations.add(
                  "lead "
                      + leadId
                      + ": "
                      + view.get("claims").size()
                      + " claims > "
                      + lead.maxClaims());
            }
          });
      return violations;
    }
  }

  /** Checks one account, given its trail and its view. */
  @FunctionalInterface
  private interface AccountCheck {
    void check(String account, List<TrailEntry> trail, JsonNode view);
  }

  /** Runs {@code check} on every account of the log, in order; one missing is a violation. */
  private void forEachAccount(LedgerSnapshot ledger, List<String> violations, AccountCheck check) {
    for (String account : new TreeSet<>(accounts)) {
      List<TrailEntry> trail = ledger.trails().get(account);
      JsonNode view = ledger.accounts().get(account);
      if (trail == null || view == null) {
        violations.add("account " + account + ": not in the snapshot");
      } else {
        check.check(account, trail, view);
      }
    }
  }

  /** What an applied operation did to its account's balance; a capture takes its hold's amount. */
  private long balanceEffect(Operation op, Map<TrailKey, Long> holds) {
    return switch (op.kind()) {
      case CREDIT -> op.amount();
      case DEBIT -> -op.amount();
      case CAPTURE ->
          -holds.getOrDefault(
              new TrailKey(op.accountId(), op.transactionId(), Kind.RESERVE.name()), 0L);
      case CLAIM -> leads.containsKey(op.leadId()) ? -leads.get(op.leadId()).creditCost() : 0;
      case REFUND_APPROVE ->
          op.amount() > 0
              ? op.amount()
              : leads.containsKey(op.leadId()) ? leads.get(op.leadId()).creditCost() : 0;
      case RESERVE, RELEASE, REFUND_REQUEST, REFUND_REJECT, LEAD_VOID -> 0;
    };
  }

  /** How often each transaction appears in the trails, by account, id and type. */
  private static Map<TrailKey, Integer> inTrails(LedgerSnapshot ledger) {
    Map<TrailKey, Integer> inTrails = new HashMap<>();
    ledger
        .trails()
        .forEach(
            (account, items) ->
                items.forEach(
                    e ->
                        inTrails.merge(
                            new TrailKey(account, e.transactionId(), e.type()), 1, Integer::sum)));
    return inTrails;
  }

  private void checkOperation(
      Result r, ToIntFunction<TrailKey> inTrails, LedgerSnapshot ledger, List<String> violations) {
    Operation op = r.operation();
    int times = inTrails.applyAsInt(op.trailKey());
    boolean wrong =
        switch (r.outcome()) {
          case OK -> times != 1;
          case FAILED -> times != 0;
          case UNKNOWN -> times > 1;
        };
    if (wrong) {
      violations.add(
          r.outcome()
              + " "
              + op
              + " (answered "
              + (r.error() != null ? r.error() : r.status() + " " + r.code())
              + ") is in the trail "
              + times
              + " times");
    }
    if (op.kind() == Kind.CLAIM && r.outcome() != Outcome.UNKNOWN) {
      JsonNode lead = ledger.leads().get(op.leadId());
      boolean claimed = lead != null && claimOf(lead, op.accountId()) != null;
      if (claimed != (r.outcome() == Outcome.OK)) {
        violations.add(r.outcome() + " " + op + ": the lead shows claimed=" + claimed);
      }
    }
  }

  /** The trail chains, each entry's arithmetic holds, and it folds to the account's view. */
  private static void checkTrail(
      String account, List<TrailEntry> trail, JsonNode view, List<String> violations) {
    long balance = 0;
    long reserved = 0;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < trail.size(); i++) {
      TrailEntry e = trail.get(i);
      String where = "account " + account + " trail[" + i + "] " + e;
      long amount = e.amount();
      if (e.balanceBefore() != balance || e.reservedBefore() != reserved) {
        violations.add(where + ": does not chain on " + balance + "/" + reserved);
      }
      String type = e.type();
      balance += balanceDelta(type, amount);
      reserved += reservedDelta(type, amount);
      if (e.balanceAfter() != balance || e.reservedAfter() != reserved) {
        violations.add(where + ": after should be " + balance + "/" + reserved);
      }
      // An alert setting moves no credits: its amount is 0 and its id the same on each change.
      boolean setting = type.equals("ALERTS_CHANGED");
      if ((amount <= 0 && !setting) || balance < 0 || reserved < 0 || reserved > balance) {
        violations.add(where + ": negative amount, balance or available");
      }
      // A grant's remainder and what an open hold gives back to it after it ended (voided or
      // expired) go in two entries under one id: the void's, or the grant's own for an expiry.
      boolean grantEnd = type.equals("GRANT_VOIDED") || type.equals("GRANT_EXPIRED");
      if (!seen.add(type + " " + e.transactionId()) && !grantEnd && !setting) {
        violations.add(where + ": the same transaction applied twice");
      }
      balance = e.balanceAfter();
      reserved = e.reservedAfter();
    }
    if (view.get("balance").asLong() != balance
        || view.get("reserved").asLong() != reserved
        || view.get("available").asLong() != balance - reserved
        || view.get("version").asLong() != trail.size()) {
      violations.add(
          "account "
              + account
              + ": view "
              + view
              + " is not the fold of its "
              + trail.size()
              + " trail entries (balance "
              + balance
              + ", reserved "
              + reserved
              + ")");
    }
  }

  private static long balanceDelta(String type, long amount) {
    return switch (type) {
      case "CREDIT", "REFUND" -> amount;
      case "DEBIT", "CAPTURE", "GRANT_EXPIRED", "GRANT_VOIDED" -> -amount;
      default -> 0;
    };
  }

  private static long reservedDelta(String type, long amount) {
    return switch (type) {
      case "RESERVE" -> amount;
      case "CAPTURE", "RELEASE", "EXPIRE" -> -amount;
      default -> 0;
    };
  }

  /** Each hold is taken once and ends at most once, after it was taken; open ones are in view. */
  private static void checkHolds(
      String account, List<TrailEntry> trail, JsonNode view, Instant now, List<String> violations) {
    Map<String, Integer> taken = new HashMap<>();
    Map<String, Integer> ended = new HashMap<>();
    for (TrailEntry e : trail) {
      String id = e.transactionId();
      switch (e.type()) {
        case "RESERVE" -> taken.merge(id, 1, Integer::sum);
        case "CAPTURE", "RELEASE", "EXPIRE" -> {
          if (!taken.containsKey(id)) {
            violations.add("account " + account + ": hold " + id + " ended before it was taken");
          }
          ended.merge(id, 1, Integer::sum);
        }
        default -> {}
      }
    }
    Map<String, Instant> open = new HashMap<>();
    view.get("holds")
        .forEach(
            h -> open.put(h.get("holdId").asText(), Instant.parse(h.get("expiresAt").asText())));
    for (String hold : taken.keySet()) {
      int ends = ended.getOrDefault(hold, 0);
      if (ends > 1) {
        violations.add("account " + account + ": hold " + hold + " ended " + ends + " times");
      }
      if (ends == 0 && !open.containsKey(hold)) {
        violations.add("account " + account + ": hold " + hold + " neither ended nor open");
      }
      if (ends == 1 && open.containsKey(hold)) {
        violations.add("account " + account + ": hold " + hold + " ended but still open");
      }
    }
    open.forEach(
        (hold, expiresAt) -> {
          if (!taken.containsKey(hold)) {
            violations.add("account " + account + ": open hold " + hold + " was never taken");
          }
          if (!expiresAt.isAfter(now)) {
            violations.add("account " + account + ": hold " + hold + " open past " + expiresAt);
          }
        });
  }

  /** Nothing in the trail that nobody sent: expiries and claim debits are checked elsewhere. */
  private static void checkNothingUnsent(
      String account, List<TrailEntry> trail, Set<TrailKey> sent, List<String> violations) {
    for (TrailEntry e : trail) {
      String type = e.type();
      String id = e.transactionId();
      if (type.equals("EXPIRE")
          || type.equals("GRANT_EXPIRED")
          || type.equals("ALERTS_CHANGED")
          || type.equals("REFUND")
          || id.startsWith(Ids.CLAIM_PREFIX)) {
        continue;
      }
      if (!sent.contains(new TrailKey(account, id, type))) {
        violations.add("account " + account + ": " + e + " was never sent");
      }
    }
  }

  /** At most maxClaims, no tradie twice, each claim paid once; every claim debit has a claim. */
  private void checkLeads(
      LedgerSnapshot ledger, Map<TrailKey, Integer> inTrails, List<String> violations) {
    Set<TrailKey> claimDebits = new HashSet<>();
    for (Map.Entry<String, Lead> entry : leads.entrySet()) {
      String leadId = entry.getKey();
      JsonNode view = ledger.leads().get(leadId);
      if (view == null) {
        violations.add("lead " + leadId + ": not in the snapshot");
        continue;
      }
      Lead lead = entry.getValue();
      JsonNode claims = view.get("claims");
      if (claims.size() > lead.maxClaims()) {
        violations.add("lead " + leadId + ": " + claims.size() + " claims > " + lead.maxClaims());
      }
      Set<String> tradies = new HashSet<>();
      for (JsonNode c : claims) {
        String tradie = c.get("tradieId").asText();
        String claimId = c.get("claimId").asText();
        if (!tradies.add(tradie) || !claimId.equals(Ids.claimId(leadId, tradie))) {
          violations.add("lead " + leadId + ": claim " + c + " is a second or a forged claim");
        }
        TrailKey debit = new TrailKey(tradie, claimId, "DEBIT");
        claimDebits.add(debit);
        checkPaidOnce(leadId, lead, debit, ledger, violations);
      }
    }
    inTrails.forEach(
        (key, times) -> {
          if (key.type().equals("DEBIT")
              && key.transactionId().startsWith(Ids.CLAIM_PREFIX)
              && !claimDebits.contains(key)) {
            violations.add("claim debit " + key + " belongs to no confirmed claim");
          }
        });
  }

  private static void checkPaidOnce(
      String leadId, Lead lead, TrailKey debit, LedgerSnapshot ledger, List<String> violations) {
    List<TrailEntry> trail = ledger.trails().get(debit.accountId());
    List<Long> paid = new ArrayList<>();
    if (trail != null) {
      for (TrailEntry e : trail) {
        if (e.type().equals("DEBIT") && e.transactionId().equals(debit.transactionId())) {
          paid.add(e.amount());
        }
      }
    }
    if (!paid.equals(List.of(lead.creditCost()))) {
      violations.add(
          "lead "
              + leadId
              + ": claim of "
              + debit.accountId()
              + " paid "
              + paid
              + ", expected exactly one debit of "
              + lead.creditCost());
    }
  }

  /**
   * What the trails still owe: an acknowledged approval without its REFUND entry, a claim of a lead
   * acknowledged voided without one. The credit follows the approval (and a void's refunds follow
   * the void) and is resumed after a crash, so a test polls this until it is empty before {@link
   * #check}, which then names anything still missing.
   */
  public List<String> refundsOwed(LedgerSnapshot ledger) {
    Map<TrailKey, List<TrailEntry>> refunds = refundEntries(ledger);
    List<String> owed = new ArrayList<>();
    for (Result r : results.values()) {
      Operation op = r.operation();
      if (r.outcome() != Outcome.OK) {
        continue;
      }
      if (op.kind() == Kind.REFUND_APPROVE && !refunds.containsKey(op.trailKey())) {
        owed.add(op.transactionId());
      } else if (op.kind() == Kind.LEAD_VOID) {
        JsonNode view = ledger.leads().get(op.leadId());
        if (view == null) {
          owed.add("lead " + op.leadId());
          continue;
        }
        for (JsonNode c : view.get("claims")) {
          TrailKey key =
              new TrailKey(
                  c.get("tradieId").asText(),
                  RefundRules.refundIdOf(c.get("claimId").asText()),
                  "REFUND");
          if (!refunds.containsKey(key)) {
            owed.add(key.transactionId());
          }
        }
      }
    }
    return owed;
  }

  /**
   * Refunds: an acknowledged approval is credited exactly once with its amount (the price paid when
   * it named none), a refused or absent one and a rejection never; an unknown one at most once.
   * Every confirmed claim of a lead acknowledged voided is refunded exactly once, in full unless an
   * approval of it came first (a void gives no more for a claim already approved). Nothing else is
   * refunded, each entry names its claim, lead and refund, and Σ refunded per claim ≤ its debit.
   */
  private void checkRefunds(LedgerSnapshot ledger, List<String> violations) {
    Map<TrailKey, List<TrailEntry>> refunds = refundEntries(ledger);
    Map<TrailKey, Result> approvals = new HashMap<>();
    Map<TrailKey, String> leadOf = new HashMap<>();
    Set<String> voided = new HashSet<>();
    for (Result r : results.values()) {
      Operation op = r.operation();
      if (op.kind() == Kind.REFUND_APPROVE) {
        approvals.put(op.trailKey(), r);
        leadOf.put(op.trailKey(), op.leadId());
      } else if (op.kind() == Kind.LEAD_VOID) {
        JsonNode view = ledger.leads().get(op.leadId());
        boolean isVoided = view != null && view.path("status").asText().equals("VOIDED");
        boolean wrong =
            switch (r.outcome()) {
              case OK -> !isVoided;
              case FAILED -> isVoided;
              case UNKNOWN -> false;
            };
        if (wrong) {
          violations.add(r.outcome() + " " + op + ": the lead shows voided=" + isVoided);
        }
        if (isVoided) {
          voided.add(op.leadId());
        }
      }
    }
    Set<TrailKey> voidRefunds = new HashSet<>();
    for (String leadId : voided) {
      for (JsonNode c : ledger.leads().get(leadId).get("claims")) {
        TrailKey key =
            new TrailKey(
                c.get("tradieId").asText(),
                RefundRules.refundIdOf(c.get("claimId").asText()),
                "REFUND");
        voidRefunds.add(key);
        leadOf.put(key, leadId);
      }
    }
    Set<TrailKey> keys = new TreeSet<>(java.util.Comparator.comparing(TrailKey::toString));
    keys.addAll(refunds.keySet());
    keys.addAll(approvals.keySet());
    keys.addAll(voidRefunds);
    for (TrailKey key : keys) {
      List<TrailEntry> entries = refunds.getOrDefault(key, List.of());
      String where = "refund " + key.transactionId() + " of " + key.accountId();
      String leadId = leadOf.get(key);
      if (leadId == null) {
        violations.add(where + ": " + entries + " credited, but nobody approved it or voided");
        continue;
      }
      String claimId = RefundRules.claimIdOf(key.transactionId());
      long paid = claimDebit(ledger, key.accountId(), claimId);
      Result approval = approvals.get(key);
      long approved =
          approval == null
              ? 0
              : approval.operation().amount() > 0 ? approval.operation().amount() : paid;
      Set<Long> allowed = new HashSet<>();
      int timesMin;
      if (voidRefunds.contains(key)) {
        timesMin = 1;
        if (approval == null || approval.outcome() != Outcome.OK) {
          allowed.add(paid);
        }
        if (approval != null && approval.outcome() != Outcome.FAILED) {
          allowed.add(approved);
        }
      } else if (approval != null && approval.outcome() != Outcome.FAILED) {
        timesMin = approval.outcome() == Outcome.OK ? 1 : 0;
        allowed.add(approved);
      } else {
        timesMin = 0;
      }
      if (entries.size() < timesMin || entries.size() > 1) {
        violations.add(
            where
                + " (approval "
                + (approval == null ? "none" : approval.outcome())
                + (voidRefunds.contains(key) ? ", lead voided" : "")
                + ") is in the trail "
                + entries.size()
                + " times");
      }
      long refunded = 0;
      for (TrailEntry e : entries) {
        refunded = Math.addExact(refunded, e.amount());
        if (!allowed.contains(e.amount())) {
          violations.add(where + ": credited " + e.amount() + ", expected one of " + allowed);
        }
        Map<String, String> m = e.metadata();
        if (!claimId.equals(m.get("claimId"))
            || !leadId.equals(m.get("leadId"))
            || !key.transactionId().equals(m.get("refundId"))) {
          violations.add(where + ": metadata " + m + " does not name its claim, lead and refund");
        }
      }
      if (refunded > paid) {
        violations.add(where + ": refunded " + refunded + " > paid " + paid + " for " + claimId);
      }
    }
    // Σ over every REFUND entry naming the claim, whatever its transaction id.
    Map<String, Long> perClaim = new TreeMap<>();
    refunds.forEach(
        (key, entries) ->
            entries.forEach(
                e ->
                    perClaim.merge(
                        key.accountId() + "/" + e.metadata().getOrDefault("claimId", "?"),
                        e.amount(),
                        Math::addExact)));
    perClaim.forEach(
        (accountClaim, refunded) -> {
          int slash = accountClaim.indexOf('/');
          long paid =
              claimDebit(
                  ledger, accountClaim.substring(0, slash), accountClaim.substring(slash + 1));
          if (refunded > paid) {
            violations.add("claim " + accountClaim + ": refunded " + refunded + " > paid " + paid);
          }
        });
  }

  /** The REFUND entries of the trails by account and refund id. */
  private static Map<TrailKey, List<TrailEntry>> refundEntries(LedgerSnapshot ledger) {
    Map<TrailKey, List<TrailEntry>> refunds = new HashMap<>();
    ledger
        .trails()
        .forEach(
            (account, trail) ->
                trail.stream()
                    .filter(e -> e.type().equals("REFUND"))
                    .forEach(
                        e ->
                            refunds
                                .computeIfAbsent(
                                    new TrailKey(account, e.transactionId(), "REFUND"),
                                    k -> new ArrayList<>())
                                .add(e)));
    return refunds;
  }

  /**
   * What the claim's debit took (its first, if the trail shows more: checked elsewhere); 0 if none.
   */
  private static long claimDebit(LedgerSnapshot ledger, String accountId, String claimId) {
    for (TrailEntry e : ledger.trails().getOrDefault(accountId, List.of())) {
      if (e.type().equals("DEBIT") && e.transactionId().equals(claimId)) {
        return e.amount();
      }
    }
    return 0;
  }

  private static void pause() {
    try {
      Thread.sleep(retryPause.toMillis()); // back off before retrying; the loop re-checks
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static JsonNode claimOf(JsonNode lead, String tradieId) {
    for (JsonNode c : lead.get("claims")) {
      if (c.get("tradieId").asText().equals(tradieId)) {
        return c;
      }
    }
    return null;
  }
}
