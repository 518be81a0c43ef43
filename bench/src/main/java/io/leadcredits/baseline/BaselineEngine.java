package io.leadcredits.baseline;

import io.leadcredits.Settings;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.AccountRules;
import io.leadcredits.audit.AuditReport;
import io.leadcredits.engine.ClusterView;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.engine.LeadList;
import io.leadcredits.engine.Readiness;
import io.leadcredits.engine.TrailPage;
import io.leadcredits.engine.Unsupported;
import io.leadcredits.lead.LeadStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What both baselines share: the connection pool and its threads, the clock, the reads that do not
 * depend on how changes are made (the audit trail, the invariant audit, readiness), and the scope.
 *
 * <p>A baseline offers only what the benchmark drives: credits, debits, reservations with their
 * capture and release, account reads, the audit trail, lead create, read, claim and close, the
 * audit and readiness. Anything else (listing leads, the cluster, every later feature) is {@link
 * Unsupported}, which the HTTP layer answers as a route that does not exist. New features are built
 * in the product only.
 *
 * <p>The baselines have no sweeper: a hold past its expiry never counts against available, and its
 * EXPIRE is recorded lazily by the next transaction that changes the account. The audit sees it as
 * a hold still open, which the invariants allow.
 */
abstract class BaselineEngine implements CreditEngine, AutoCloseable {
  protected final TransactionRunner db;
  protected final Settings settings;
  protected final AccountRules.Bounds bounds;
  private final Clock clock;

  BaselineEngine(TransactionRunner db, Settings settings, Clock clock) {
    this.db = db;
    this.settings = settings;
    this.bounds =
        new AccountRules.Bounds(
            settings.holdsPerAccountMax(), settings.holdTtlDefault(), settings.holdTtlMax());
    this.clock = clock;
  }

  /**
   * The answer to a reservation whose time-to-live the rulebook refuses, before any database work,
   * as the actor refuses it; empty when the ttl is allowed.
   */
  protected Optional<CompletionStage<AccountReply>> ttlRefused(Duration ttl) {
    return AccountRules.ttlRefusal(bounds, ttl)
        .map(
            r ->
                CompletableFuture.completedFuture(
                    new AccountReply.Rejected(r.reason(), r.detail())));
  }

  /** Now, in the database's precision, so what is stored is what is compared. */
  protected Instant now() {
    return Rows.micros(clock.instant());
  }

  @Override
  public final CompletionStage<LeadList> leads(LeadStatus status, int limit) {
    return Unsupported.stage("leads");
  }

  @Override
  public final CompletionStage<Optional<ClusterView>> cluster() {
    return Unsupported.stage("cluster");
  }

  @Override
  public CompletionStage<TrailPage> transactions(String accountId, long afterVersion, int limit) {
    return db.autoCommit(c -> LedgerReader.page(c, accountId, afterVersion, limit));
  }

  @Override
  public CompletionStage<AuditReport> audit() {
    return db.inTransaction(LedgerReader::audit);
  }

  @Override
  public CompletionStage<Readiness> readiness() {
    return db.autoCommit(
            c ->
                c.isValid(2)
                    ? Readiness.up()
                    : Readiness.down("the baseline database does not answer"))
        .exceptionally(e -> Readiness.down("the baseline database is unreachable: " + e));
  }

  @Override
  public void close() {
    db.close();
  }
}
