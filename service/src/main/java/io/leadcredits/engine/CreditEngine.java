package io.leadcredits.engine;

import io.leadcredits.account.AccountReply;
import io.leadcredits.account.GrantTerms;
import io.leadcredits.audit.AuditReport;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedPage;
import io.leadcredits.feed.TypeFilter;
import io.leadcredits.lead.LeadReply;
import io.leadcredits.lead.LeadRules;
import io.leadcredits.lead.LeadStatus;
import io.leadcredits.pricing.PriceList;
import io.leadcredits.pricing.PricingReply;
import io.leadcredits.pricing.QuoteReply;
import io.leadcredits.webhook.Delivery;
import io.leadcredits.webhook.Registration;
import io.leadcredits.webhook.WebhookEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The credit engine as the HTTP layer sees it. The actor engine implements it with sharded
 * event-sourced entities; the benchmark's baselines implement it with plain SQL, behind the same
 * routes, and only what the benchmark drives: the rest they answer {@link Unsupported}, which the
 * HTTP layer answers as a route that does not exist. Inputs are already validated (ids, amounts). A
 * failed stage means the outcome is unknown (a timeout or an unreachable database): the caller
 * answers 503 and the client retries with the same transaction id.
 */
public interface CreditEngine {

  CompletionStage<AccountReply> credit(
      String accountId, String transactionId, long amount, Map<String, String> metadata);

  /**
   * A top-up on grant terms other than the defaults. The product's own: the baselines know the
   * default grant only.
   */
  default CompletionStage<AccountReply> credit(
      String accountId,
      String transactionId,
      long amount,
      GrantTerms terms,
      Map<String, String> metadata) {
    return terms.equals(GrantTerms.DEFAULT)
        ? credit(accountId, transactionId, amount, metadata)
        : Unsupported.stage("grant terms");
  }

  /** Voids what is left of a grant. The product's own. */
  default CompletionStage<AccountReply> voidGrant(
      String accountId, String transactionId, String grantId, String reason) {
    return Unsupported.stage("voiding grants");
  }

  /** Sets the account's low-balance threshold (0: off). The product's own. */
  default CompletionStage<AccountReply> setAlerts(String accountId, long lowBalanceThreshold) {
    return Unsupported.stage("alerts");
  }

  /** The account, read for its alert settings. The product's own. */
  default CompletionStage<AccountReply> alerts(String accountId) {
    return Unsupported.stage("alerts");
  }

  CompletionStage<AccountReply> debit(
      String accountId, String transactionId, long amount, Map<String, String> metadata);

  /** {@code ttl} null means the configured default. */
  CompletionStage<AccountReply> reserve(
      String accountId, String holdId, long amount, Duration ttl, Map<String, String> metadata);

  CompletionStage<AccountReply> capture(String accountId, String holdId);

  CompletionStage<AccountReply> release(String accountId, String holdId);

  CompletionStage<AccountReply> account(String accountId);

  /** {@code expiresAt} may be null. */
  CompletionStage<LeadReply> createLead(
      String leadId, long creditCost, int maxClaims, Instant expiresAt);

  CompletionStage<LeadReply> lead(String leadId);

  /**
   * Publishes a lead with all its terms. An engine without price lists (the baselines) takes only a
   * lead at its own fixed price, with nothing to price it by; the rest is the product's.
   */
  default CompletionStage<LeadReply> createLead(String leadId, LeadRules.Terms terms) {
    if (terms.fromList()
        || terms.category() != null
        || terms.region() != null
        || terms.jobSize() != null) {
      return Unsupported.stage("price lists");
    }
    return createLead(leadId, terms.creditCost(), terms.maxClaims(), terms.expiresAt());
  }

  CompletionStage<ClaimReply> claim(String leadId, String tradieId);

  /**
   * A claim refused when its price is above {@code maxCost} ({@link Long#MAX_VALUE}: no bound). The
   * product's: an engine without prices takes only a claim without a bound.
   */
  default CompletionStage<ClaimReply> claim(String leadId, String tradieId, long maxCost) {
    if (maxCost != Long.MAX_VALUE) {
      return Unsupported.stage("price lists");
    }
    return claim(leadId, tradieId);
  }

  /** What a claim by the tradie made now would cost. The product's own. */
  default CompletionStage<QuoteReply> quote(String leadId, String tradieId) {
    return Unsupported.stage("price lists");
  }

  /** The price list in force. The product's own, as is every pricing operation. */
  default CompletionStage<PricingReply> priceList() {
    return Unsupported.stage("price lists");
  }

  /** Puts {@code list} in force, as {@code by}. */
  default CompletionStage<PricingReply> setPriceList(PriceList list, String by) {
    return Unsupported.stage("price lists");
  }

  /** Sets the tradie's tier (null: none), as {@code by}. */
  default CompletionStage<PricingReply> setTier(String tradieId, String tier, String by) {
    return Unsupported.stage("price lists");
  }

  CompletionStage<LeadReply> closeLead(String leadId);

  /**
   * Voids the lead: no claim from now on, every confirmed claim refunded in full (reason
   * LEAD_VOIDED), exactly once. The product's own.
   */
  default CompletionStage<LeadReply> voidLead(String leadId, String reason, String by) {
    return Unsupported.stage("voiding leads");
  }

  /**
   * The newest leads, at most {@code limit}, only those in {@code status} unless it is null, with
   * the number of leads in each status.
   */
  CompletionStage<LeadList> leads(LeadStatus status, int limit);

  /** The audit trail of an account, oldest first, after the given version (0: from the start). */
  /**
   * The account's statement for {@code [from, to)}, read from the journal as the trail is; empty
   * when the account has no event. The product's own.
   */
  default CompletionStage<Optional<Statement>> statement(
      String accountId, Instant from, Instant to) {
    return Unsupported.stage("statements");
  }

  CompletionStage<TrailPage> transactions(String accountId, long afterVersion, int limit);

  /**
   * At most {@code limit} events of the feed after {@code after} of the types {@code types}
   * accepts, oldest first, waiting up to {@code wait} for a first one. The product's own: the
   * benchmark's baselines announce nothing.
   */
  default CompletionStage<FeedPage> events(
      FeedCursor after, int limit, TypeFilter types, Duration wait) {
    return Unsupported.stage("the event feed");
  }

  /**
   * Registers a webhook endpoint for {@code types} (empty: every type), or refuses its URL. The
   * product's own, as are the other webhook operations: the baselines send nothing.
   */
  default CompletionStage<Registration> createWebhook(
      String url, List<String> types, String description) {
    return Unsupported.stage("webhooks");
  }

  /** Every webhook endpoint, oldest first. */
  default CompletionStage<List<WebhookEndpoint>> webhooks() {
    return Unsupported.stage("webhooks");
  }

  /** The webhook endpoint, or empty when there is none. */
  default CompletionStage<Optional<WebhookEndpoint>> webhook(String id) {
    return Unsupported.stage("webhooks");
  }

  /** Enables the webhook endpoint again; empty when there is none. */
  default CompletionStage<Optional<WebhookEndpoint>> enableWebhook(String id) {
    return Unsupported.stage("webhooks");
  }

  /** Deletes the webhook endpoint; false when there was none. */
  default CompletionStage<Boolean> deleteWebhook(String id) {
    return Unsupported.stage("webhooks");
  }

  /** Gives the endpoint a new signing secret and answers it; empty when there is no endpoint. */
  default CompletionStage<Optional<String>> rotateWebhookSecret(String id) {
    return Unsupported.stage("webhooks");
  }

  /** The endpoint's newest deliveries, at most {@code limit}; empty when there is no endpoint. */
  default CompletionStage<Optional<List<Delivery>>> webhookDeliveries(String id, int limit) {
    return Unsupported.stage("webhooks");
  }

  /**
   * The credit liability report, read from the projection the event feed keeps (no account is
   * woken). The product's own: the baselines keep no grants.
   */
  default CompletionStage<io.leadcredits.report.CreditReport> creditReport(
      io.leadcredits.report.CreditReport.Query query) {
    return Unsupported.stage("the credit report");
  }

  /** The claim's tradie asks for a refund of it. The product's own. */
  default CompletionStage<io.leadcredits.refund.RefundReply> requestRefund(
      String tradieId, String claimId, io.leadcredits.refund.RefundReason reason, String note) {
    return Unsupported.stage("refunds");
  }

  /** An admin approves a refund; {@code amount} null: the full price paid. */
  default CompletionStage<io.leadcredits.refund.RefundReply> approveRefund(
      String refundId, Long amount, String note, String by) {
    return Unsupported.stage("refunds");
  }

  default CompletionStage<io.leadcredits.refund.RefundReply> rejectRefund(
      String refundId, String note, String by) {
    return Unsupported.stage("refunds");
  }

  /** Refunds in id order, of one status or all, for the admin's review. */
  default CompletionStage<io.leadcredits.refund.RefundDirectory.Page> refunds(
      io.leadcredits.refund.RefundStatus status, String after, int limit) {
    return Unsupported.stage("refunds");
  }

  /** A tradie's claims, oldest first, with the price paid and the refund, if any. */
  default CompletionStage<io.leadcredits.refund.RefundDirectory.ClaimPage> claims(
      String accountId, long after, int limit) {
    return Unsupported.stage("claim history");
  }

  /** Checks the invariants of DESIGN.md over everything stored. */
  CompletionStage<AuditReport> audit();

  /** Whether the engine can serve now; the reason when it cannot. */
  CompletionStage<Readiness> readiness();

  /**
   * The cluster's members and what each hosts; empty for an engine that runs on one process without
   * sharding, which {@code GET /api/cluster} answers with 404.
   */
  default CompletionStage<Optional<ClusterView>> cluster() {
    return CompletableFuture.completedFuture(Optional.empty());
  }
}
