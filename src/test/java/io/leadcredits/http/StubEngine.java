package io.leadcredits.http;

import io.leadcredits.Ids;
import io.leadcredits.Rejection;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.AccountView;
import io.leadcredits.audit.AuditReport;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.claim.ClaimResult;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.engine.LeadList;
import io.leadcredits.engine.Readiness;
import io.leadcredits.engine.TrailPage;
import io.leadcredits.lead.LeadReply;
import io.leadcredits.lead.LeadStatus;
import io.leadcredits.lead.LeadView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A stand-in for the engine that tests the HTTP layer alone: balances without holds, replays by
 * transaction id, and switches to make the next call fail, throw or report the database down. The
 * real engine's behaviour is tested with the engine; this only feeds the routes.
 */
final class StubEngine implements CreditEngine {
  enum Mode {
    NORMAL,
    FAIL_STAGE,
    THROW,
    UNAVAILABLE,
    /** Every call waits for {@link #release} (counted in {@link #waiting}). */
    HANG
  }

  volatile Mode mode = Mode.NORMAL;

  /** Null: the check never answers. */
  volatile Readiness readiness = Readiness.up();

  /** The last call's arguments, for the tests that check what reached the engine. */
  volatile List<Object> lastCall = List.of();

  /** Calls waiting in HANG mode. */
  final java.util.concurrent.atomic.AtomicInteger waiting =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Completed to let every waiting call go on. */
  volatile CompletableFuture<Void> release = new CompletableFuture<>();

  private final Map<String, Long> balances = new ConcurrentHashMap<>();
  private final Map<String, Long> seen = new ConcurrentHashMap<>();

  private <T> CompletionStage<T> answer(Supplier<T> reply) {
    switch (mode) {
      case FAIL_STAGE:
        return CompletableFuture.failedFuture(new TimeoutException("ask timed out (stub)"));
      case THROW:
        throw new IllegalStateException("stub engine blew up (expected in this test)");
      case HANG:
        waiting.incrementAndGet();
        return release.thenApply(
            ignored -> {
              waiting.decrementAndGet();
              return reply.get();
            });
      default:
        return CompletableFuture.completedFuture(reply.get());
    }
  }

  private AccountView view(String id) {
    long balance = balances.getOrDefault(id, 0L);
    return new AccountView(id, balance, 0, balance, List.of(), 1);
  }

  private CompletionStage<AccountReply> change(String id, String txId, long delta, Object... call) {
    lastCall = List.of(call);
    return answer(
        () -> {
          if (mode == Mode.UNAVAILABLE) {
            return new AccountReply.Unavailable("journal unreachable (stub)");
          }
          Long previous = seen.putIfAbsent(id + "/" + txId, delta);
          if (previous != null) {
            return previous == delta
                ? new AccountReply.Accepted(view(id), balances.get(id), true)
                : new AccountReply.Rejected(Rejection.IDEMPOTENCY_CONFLICT, "different payload");
          }
          if (balances.getOrDefault(id, 0L) + delta < 0) {
            seen.remove(id + "/" + txId);
            return new AccountReply.Rejected(Rejection.INSUFFICIENT_CREDITS, "not enough");
          }
          long after = balances.merge(id, delta, Long::sum);
          return new AccountReply.Accepted(view(id), after, false);
        });
  }

  @Override
  public CompletionStage<AccountReply> credit(
      String accountId, String transactionId, long amount, Map<String, String> metadata) {
    return change(
        accountId, transactionId, amount, "credit", accountId, transactionId, amount, metadata);
  }

  @Override
  public CompletionStage<AccountReply> debit(
      String accountId, String transactionId, long amount, Map<String, String> metadata) {
    return change(
        accountId, transactionId, -amount, "debit", accountId, transactionId, amount, metadata);
  }

  @Override
  public CompletionStage<AccountReply> reserve(
      String accountId, String holdId, long amount, Duration ttl, Map<String, String> metadata) {
    lastCall = java.util.Arrays.asList("reserve", accountId, holdId, amount, ttl, metadata);
    return answer(
        () ->
            new AccountReply.Accepted(
                view(accountId), balances.getOrDefault(accountId, 0L), false));
  }

  @Override
  public CompletionStage<AccountReply> capture(String accountId, String holdId) {
    lastCall = List.of("capture", accountId, holdId);
    return answer(() -> new AccountReply.Rejected(Rejection.HOLD_NOT_ACTIVE, "no such hold"));
  }

  @Override
  public CompletionStage<AccountReply> release(String accountId, String holdId) {
    lastCall = List.of("release", accountId, holdId);
    return answer(() -> new AccountReply.Accepted(view(accountId), 0, false));
  }

  @Override
  public CompletionStage<AccountReply> account(String accountId) {
    return answer(
        () ->
            balances.containsKey(accountId)
                ? new AccountReply.Accepted(view(accountId), balances.get(accountId), false)
                : new AccountReply.Rejected(Rejection.NOT_FOUND, "no account " + accountId));
  }

  @Override
  public CompletionStage<LeadReply> createLead(
      String leadId, long creditCost, int maxClaims, Instant expiresAt) {
    lastCall = java.util.Arrays.asList("createLead", leadId, creditCost, maxClaims, expiresAt);
    return answer(
        () ->
            new LeadReply.Accepted(
                new LeadView(
                    leadId, creditCost, maxClaims, LeadStatus.OPEN, List.of(), expiresAt, 1),
                false));
  }

  @Override
  public CompletionStage<LeadReply> lead(String leadId) {
    return answer(() -> new LeadReply.Rejected(Rejection.NOT_FOUND, "no lead " + leadId));
  }

  @Override
  public CompletionStage<ClaimReply> claim(String leadId, String tradieId) {
    lastCall = List.of("claim", leadId, tradieId);
    return answer(
        () ->
            mode == Mode.UNAVAILABLE
                ? new ClaimReply.Pending(Ids.claimId(leadId, tradieId), "account slow (stub)")
                : new ClaimReply.Claimed(
                    new ClaimResult(Ids.claimId(leadId, tradieId), leadId, tradieId, 5, 95),
                    false));
  }

  @Override
  public CompletionStage<LeadReply> closeLead(String leadId) {
    return answer(() -> new LeadReply.Rejected(Rejection.LEAD_CLOSED, "already closed"));
  }

  @Override
  public CompletionStage<LeadList> leads(LeadStatus status, int limit) {
    lastCall = java.util.Arrays.asList("leads", status, limit);
    return answer(() -> new LeadList(Map.of(), List.of()));
  }

  @Override
  public CompletionStage<TrailPage> transactions(String accountId, long afterVersion, int limit) {
    lastCall = List.of("transactions", accountId, afterVersion, limit);
    return answer(() -> new TrailPage(List.of(), null));
  }

  @Override
  public CompletionStage<AuditReport> audit() {
    return answer(() -> AuditReport.of(List.of(), balances.size(), 0));
  }

  @Override
  public CompletionStage<Readiness> readiness() {
    if (readiness == null) {
      return new CompletableFuture<>(); // a check that hangs, as on a stuck database connection
    }
    return CompletableFuture.completedFuture(readiness);
  }
}
