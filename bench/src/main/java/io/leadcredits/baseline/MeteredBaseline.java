package io.leadcredits.baseline;

import io.leadcredits.account.AccountReply;
import io.leadcredits.account.TransactionStatus;
import io.leadcredits.account.TransactionType;
import io.leadcredits.audit.AuditReport;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.engine.ClusterView;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.engine.LeadList;
import io.leadcredits.engine.Readiness;
import io.leadcredits.engine.TrailPage;
import io.leadcredits.engine.Unsupported;
import io.leadcredits.lead.LeadReply;
import io.leadcredits.lead.LeadStatus;
import io.leadcredits.metrics.ClaimResultLabel;
import io.leadcredits.metrics.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Counts a baseline's transactions and claims from its answers. The baselines decide inside SQL,
 * with no entity to count in, so their answers are counted here instead, with the same meaning as
 * the actor engine's counts: a new change is a success (a replayed answer is not counted again), a
 * refusal is rejected, no definite answer is failed, and a won claim is also the DEBIT that paid
 * it. Expiries are recorded lazily inside other transactions and are not counted.
 */
final class MeteredBaseline implements CreditEngine, AutoCloseable {
  private final CreditEngine engine;
  private final AutoCloseable resources;
  private final Metrics metrics;

  <E extends CreditEngine & AutoCloseable> MeteredBaseline(E engine, Metrics metrics) {
    this.engine = engine;
    this.resources = engine;
    this.metrics = metrics;
  }

  @Override
  public CompletionStage<AccountReply> credit(
      String accountId, String transactionId, long amount, Map<String, String> metadata) {
    return counted(
        TransactionType.CREDIT, engine.credit(accountId, transactionId, amount, metadata));
  }

  @Override
  public CompletionStage<AccountReply> debit(
      String accountId, String transactionId, long amount, Map<String, String> metadata) {
    return counted(TransactionType.DEBIT, engine.debit(accountId, transactionId, amount, metadata));
  }

  @Override
  public CompletionStage<AccountReply> reserve(
      String accountId, String holdId, long amount, Duration ttl, Map<String, String> metadata) {
    return counted(
        TransactionType.RESERVE, engine.reserve(accountId, holdId, amount, ttl, metadata));
  }

  @Override
  public CompletionStage<AccountReply> capture(String accountId, String holdId) {
    return counted(TransactionType.CAPTURE, engine.capture(accountId, holdId));
  }

  @Override
  public CompletionStage<AccountReply> release(String accountId, String holdId) {
    return counted(TransactionType.RELEASE, engine.release(accountId, holdId));
  }

  @Override
  public CompletionStage<AccountReply> account(String accountId) {
    return engine.account(accountId);
  }

  @Override
  public CompletionStage<LeadList> leads(LeadStatus status, int limit) {
    return engine.leads(status, limit);
  }

  @Override
  public CompletionStage<LeadReply> createLead(
      String leadId, long creditCost, int maxClaims, Instant expiresAt) {
    return engine.createLead(leadId, creditCost, maxClaims, expiresAt);
  }

  @Override
  public CompletionStage<LeadReply> lead(String leadId) {
    return engine.lead(leadId);
  }

  @Override
  public CompletionStage<ClaimReply> claim(String leadId, String tradieId) {
    return engine
        .claim(leadId, tradieId)
        .whenComplete(
            (reply, failure) -> {
              if (reply instanceof ClaimReply.Claimed c) {
                if (c.replayed()) {
                  metrics.claim(ClaimResultLabel.DUPLICATE);
                } else {
                  metrics.claim(ClaimResultLabel.WON);
                  metrics.transaction(TransactionType.DEBIT, TransactionStatus.SUCCESS);
                }
              } else if (reply instanceof ClaimReply.Rejected r) {
                metrics.claim(ClaimResultLabel.of(r.reason()));
                if (r.reason() == io.leadcredits.Rejection.INSUFFICIENT_CREDITS) {
                  metrics.transaction(TransactionType.DEBIT, TransactionStatus.REJECTED);
                }
              } else {
                metrics.claim(ClaimResultLabel.FAILED);
              }
            });
  }

  @Override
  public CompletionStage<LeadReply> closeLead(String leadId) {
    return engine.closeLead(leadId);
  }

  @Override
  public CompletionStage<TrailPage> transactions(String accountId, long afterVersion, int limit) {
    return engine.transactions(accountId, afterVersion, limit);
  }

  @Override
  public CompletionStage<AuditReport> audit() {
    return engine.audit();
  }

  @Override
  public CompletionStage<Readiness> readiness() {
    return engine.readiness();
  }

  @Override
  public CompletionStage<Optional<ClusterView>> cluster() {
    return engine.cluster();
  }

  @Override
  public void close() throws Exception {
    resources.close();
  }

  private CompletionStage<AccountReply> counted(
      TransactionType type, CompletionStage<AccountReply> stage) {
    return stage.whenComplete(
        (reply, failure) -> {
          if (reply instanceof AccountReply.Accepted a) {
            if (!a.replayed()) {
              metrics.transaction(type, TransactionStatus.SUCCESS);
            }
          } else if (reply instanceof AccountReply.Rejected) {
            metrics.transaction(type, TransactionStatus.REJECTED);
          } else if (!Unsupported.is(failure)) { // an operation not offered is no transaction
            metrics.transaction(type, TransactionStatus.FAILED);
          }
        });
  }
}
