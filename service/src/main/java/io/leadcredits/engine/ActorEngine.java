package io.leadcredits.engine;

import io.leadcredits.Rejection;
import io.leadcredits.Settings;
import io.leadcredits.account.Account;
import io.leadcredits.account.AccountCommand;
import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.AccountGate;
import io.leadcredits.account.AccountRefs;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.Grant;
import io.leadcredits.account.GrantAmount;
import io.leadcredits.account.GrantTerms;
import io.leadcredits.account.SnapshotWriter;
import io.leadcredits.account.SpentGrant;
import io.leadcredits.account.TransactionLookup;
import io.leadcredits.audit.AuditReport;
import io.leadcredits.audit.JournalAudit;
import io.leadcredits.claim.ClaimDebit;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.feed.EventFeed;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedPage;
import io.leadcredits.feed.TypeFilter;
import io.leadcredits.lead.Lead;
import io.leadcredits.lead.LeadCommand;
import io.leadcredits.lead.LeadEvent;
import io.leadcredits.lead.LeadReply;
import io.leadcredits.lead.LeadRules;
import io.leadcredits.lead.LeadState;
import io.leadcredits.lead.LeadStatus;
import io.leadcredits.lead.LeadView;
import io.leadcredits.metrics.Metrics;
import io.leadcredits.pricing.PriceBook;
import io.leadcredits.pricing.PriceList;
import io.leadcredits.pricing.Pricing;
import io.leadcredits.pricing.PricingCommand;
import io.leadcredits.pricing.PricingReply;
import io.leadcredits.pricing.QuoteReply;
import io.leadcredits.refund.Refund;
import io.leadcredits.refund.RefundClaim;
import io.leadcredits.refund.RefundCommand;
import io.leadcredits.refund.RefundReason;
import io.leadcredits.refund.RefundReply;
import io.leadcredits.refund.RefundRules;
import io.leadcredits.report.CreditReport;
import io.leadcredits.report.CreditReports;
import io.leadcredits.wakeup.WakeupReply;
import io.leadcredits.wakeup.WakeupStore;
import io.leadcredits.wakeup.WakeupSweeper;
import io.leadcredits.webhook.Delivery;
import io.leadcredits.webhook.Registration;
import io.leadcredits.webhook.WebhookEndpoint;
import io.leadcredits.webhook.Webhooks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The credit engine on sharded event-sourced actors: one Account and one Lead entity per id across
 * the cluster, reached by id from any node. Reads of the audit trail and the invariant audit go to
 * the journal itself, so they show what is durable, not what is in memory.
 */
public final class ActorEngine implements CreditEngine {

  /** Lead journals read at once while a list of leads is built. */
  private static final int leadsFoldedInFlightMax = 4;

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final JdbcReadJournal journal;
  private final JournalAudit audit;
  private final Supplier<CompletionStage<Readiness>> readiness;
  private final LeadDirectory directory;
  private final EventFeed feed;
  private final Webhooks webhooks;
  private final CreditReports reports;
  private final Clock clock;
  private final PriceBook prices;
  private final Settings settings;
  private TransactionLookup lookup = TransactionLookup.NONE;
  private io.leadcredits.refund.RefundDirectory refundDirectory;

  private ActorEngine(
      ActorSystem<?> system,
      Settings settings,
      Supplier<CompletionStage<Readiness>> readiness,
      LeadDirectory directory,
      EventFeed feed,
      Webhooks webhooks,
      CreditReports reports,
      Clock clock) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = settings.askTimeout();
    this.journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    this.audit = new JournalAudit(system);
    this.readiness = readiness;
    this.directory = directory;
    this.feed = feed;
    this.webhooks = webhooks;
    this.reports = reports;
    this.clock = clock;
    this.prices = new PriceBook(system, journal);
    this.settings = settings;
  }

  /** Starts sharding for accounts and leads on this node and the wake-up sweeper. */
  public static ActorEngine init(
      ActorSystem<?> system,
      Settings settings,
      Clock clock,
      WakeupStore wakeups,
      TransactionLookup lookup,
      SnapshotWriter snapshots,
      Metrics metrics,
      Supplier<CompletionStage<Readiness>> readiness,
      LeadDirectory directory,
      EventFeed feed,
      Webhooks webhooks,
      CreditReports reports,
      io.leadcredits.refund.RefundDirectory refunds) {
    ActorEngine engine =
        new ActorEngine(system, settings, readiness, directory, feed, webhooks, reports, clock);
    ClusterSharding sharding = engine.sharding;
    engine.lookup = lookup;
    engine.refundDirectory = refunds;
    AccountRefs accounts = id -> sharding.entityRefFor(Account.ENTITY_KEY, id);
    sharding.init(
        Entity.of(
            Refund.ENTITY_KEY,
            ctx -> Refund.create(ctx.getEntityId(), settings, clock, wakeups, accounts)));
    sharding.init(
        Entity.of(
            Account.ENTITY_KEY,
            ctx ->
                AccountGate.create(
                    ctx.getEntityId(), settings, clock, wakeups, lookup, snapshots, metrics)));
    sharding.init(Entity.of(Pricing.ENTITY_KEY, ctx -> Pricing.create(clock)));
    engine.prices.start(settings.askTimeout());
    sharding.init(
        Entity.of(
            Lead.ENTITY_KEY,
            ctx ->
                Lead.create(
                    ctx.getEntityId(),
                    settings,
                    clock,
                    wakeups,
                    accounts,
                    metrics,
                    engine.prices,
                    engine::refundVoided)));
    Map<String, WakeupSweeper.Waker> wakers =
        Map.of(
            Account.WAKEUP_TYPE,
                id ->
                    engine.plain(
                        sharding
                            .entityRefFor(Account.ENTITY_KEY, id)
                            .ask(AccountCommand.WakeUp::new, engine.askTimeout)),
            Lead.WAKEUP_TYPE,
                id ->
                    engine.plain(
                        sharding
                            .<LeadCommand>entityRefFor(Lead.ENTITY_KEY, id)
                            .<WakeupReply>ask(LeadCommand.WakeUp::new, engine.askTimeout)),
            Refund.WAKEUP_TYPE,
                id ->
                    engine.plain(
                        sharding
                            .<RefundCommand>entityRefFor(Refund.ENTITY_KEY, id)
                            .<WakeupReply>ask(RefundCommand.WakeUp::new, engine.askTimeout)));
    system.systemActorOf(
        WakeupSweeper.create(wakeups, wakers, settings.wakeupInterval(), clock),
        "wakeup-sweeper",
        org.apache.pekko.actor.typed.Props.empty());
    return engine;
  }

  @Override
  public CompletionStage<AccountReply> credit(
      String accountId, String transactionId, long amount, Map<String, String> metadata) {
    return account(accountId, r -> new AccountCommand.Credit(transactionId, amount, metadata, r));
  }

  @Override
  public CompletionStage<AccountReply> credit(
      String accountId,
      String transactionId,
      long amount,
      GrantTerms terms,
      Map<String, String> metadata) {
    return account(
        accountId, r -> new AccountCommand.Credit(transactionId, amount, terms, metadata, r));
  }

  @Override
  public CompletionStage<AccountReply> voidGrant(
      String accountId, String transactionId, String grantId, String reason) {
    return account(accountId, r -> new AccountCommand.VoidGrant(transactionId, grantId, reason, r));
  }

  @Override
  public CompletionStage<AccountReply> setAlerts(String accountId, long lowBalanceThreshold) {
    return account(accountId, r -> new AccountCommand.SetAlerts(lowBalanceThreshold, r));
  }

  @Override
  public CompletionStage<AccountReply> alerts(String accountId) {
    return account(accountId);
  }

  @Override
  public CompletionStage<AccountReply> debit(
      String accountId, String transactionId, long amount, Map<String, String> metadata) {
    return account(accountId, r -> new AccountCommand.Debit(transactionId, amount, metadata, r));
  }

  @Override
  public CompletionStage<AccountReply> reserve(
      String accountId, String holdId, long amount, Duration ttl, Map<String, String> metadata) {
    return account(accountId, r -> new AccountCommand.Reserve(holdId, amount, ttl, metadata, r));
  }

  @Override
  public CompletionStage<AccountReply> capture(String accountId, String holdId) {
    return account(accountId, r -> new AccountCommand.Capture(holdId, r));
  }

  @Override
  public CompletionStage<AccountReply> release(String accountId, String holdId) {
    return account(accountId, r -> new AccountCommand.Release(holdId, r));
  }

  @Override
  public CompletionStage<AccountReply> account(String accountId) {
    return account(accountId, AccountCommand.Get::new);
  }

  @Override
  public CompletionStage<LeadReply> createLead(
      String leadId, long creditCost, int maxClaims, Instant expiresAt) {
    return lead(leadId, r -> new LeadCommand.Create(creditCost, maxClaims, expiresAt, r));
  }

  @Override
  public CompletionStage<LeadReply> createLead(String leadId, LeadRules.Terms terms) {
    return lead(leadId, r -> new LeadCommand.Create(terms, r));
  }

  @Override
  public CompletionStage<ClaimReply> claim(String leadId, String tradieId, long maxCost) {
    return plain(
        sharding
            .entityRefFor(Lead.ENTITY_KEY, leadId)
            .ask(r -> new LeadCommand.Claim(tradieId, maxCost, r), askTimeout));
  }

  @Override
  public CompletionStage<QuoteReply> quote(String leadId, String tradieId) {
    return plain(
        sharding
            .entityRefFor(Lead.ENTITY_KEY, leadId)
            .ask(r -> new LeadCommand.Quote(tradieId, r), askTimeout));
  }

  @Override
  public CompletionStage<PricingReply> priceList() {
    return pricing(PricingCommand.GetList::new);
  }

  @Override
  public CompletionStage<PricingReply> setPriceList(PriceList list, String by) {
    return changed(pricing(r -> new PricingCommand.SetList(list, by, r)));
  }

  @Override
  public CompletionStage<PricingReply> setTier(String tradieId, String tier, String by) {
    return changed(pricing(r -> new PricingCommand.SetTier(tradieId, tier, by, r)));
  }

  private CompletionStage<PricingReply> pricing(
      org.apache.pekko.japi.function.Function<
              org.apache.pekko.actor.typed.ActorRef<PricingReply>, PricingCommand>
          command) {
    return sharding.entityRefFor(Pricing.ENTITY_KEY, Pricing.ID).ask(command, askTimeout);
  }

  /**
   * A change is answered once this node's copy of the prices has read it, so a claim sent through
   * this node after the answer is priced by it.
   */
  private CompletionStage<PricingReply> changed(CompletionStage<PricingReply> change) {
    return plain(change.thenCompose(reply -> prices.refresh().thenApply(state -> reply)));
  }

  @Override
  public CompletionStage<LeadReply> lead(String leadId) {
    return lead(leadId, LeadCommand.Get::new);
  }

  @Override
  public CompletionStage<ClaimReply> claim(String leadId, String tradieId) {
    return plain(
        sharding
            .entityRefFor(Lead.ENTITY_KEY, leadId)
            .ask(r -> new LeadCommand.Claim(tradieId, r), askTimeout));
  }

  @Override
  public CompletionStage<LeadReply> closeLead(String leadId) {
    return lead(leadId, LeadCommand.Close::new);
  }

  @Override
  public CompletionStage<LeadReply> voidLead(String leadId, String reason, String by) {
    return lead(leadId, r -> new LeadCommand.VoidLead(reason, by, r));
  }

  /**
   * A voided lead's confirmed claim, refunded in full: the claim is found through its debit in the
   * tradie's journal (as a refund request finds it), then its refund is told the lead was voided.
   * True once the credit is on the account.
   */
  private CompletionStage<Boolean> refundVoided(
      String leadId, io.leadcredits.lead.LeadState.Confirmed confirmed, String by) {
    String claimId = confirmed.claimId();
    String tradieId = confirmed.tradieId();
    return lookup
        .events(tradieId, List.of(claimId))
        .thenCompose(
            events -> {
              Optional<AccountEvent.Debited> debit =
                  events.stream()
                      .filter(e -> e instanceof AccountEvent.Debited)
                      .map(e -> (AccountEvent.Debited) e)
                      .filter(d -> claimId.equals(d.entry().metadata().get("claimId")))
                      .reduce((first, second) -> second);
              if (debit.isEmpty()) {
                return CompletableFuture.failedFuture(
                    new IllegalStateException(
                        "no debit of claim " + claimId + " in the journal of " + tradieId));
              }
              return claimOf(tradieId, debit.get())
                  .thenCompose(
                      claim ->
                          sharding
                              .entityRefFor(Refund.ENTITY_KEY, RefundRules.refundIdOf(claimId))
                              .<RefundReply>ask(
                                  r -> new RefundCommand.LeadVoided(claim, by, r), askTimeout));
            })
        .thenApply(reply -> reply instanceof RefundReply.Accepted);
  }

  /**
   * The directory picks the leads; each is then folded from its journal, as {@code transactions}
   * reads the trail, so the list shows what is durable and wakes no entity.
   */
  @Override
  public CompletionStage<LeadList> leads(LeadStatus status, int limit) {
    Instant now = clock.instant();
    return plain(directory.newest(status, limit, now))
        .thenCompose(
            listing ->
                plain(
                        Source.from(listing.leadIds())
                            .mapAsync(leadsFoldedInFlightMax, id -> leadFromJournal(id, now))
                            .runWith(Sink.seq(), system))
                    .thenApply(items -> new LeadList(listing.counts(), items)));
  }

  private CompletionStage<LeadView> leadFromJournal(String leadId, Instant now) {
    return journal
        .currentEventsByPersistenceId(Lead.persistenceId(leadId).id(), 0, Long.MAX_VALUE)
        .runFold(LeadState.empty(), (state, env) -> state.apply((LeadEvent) env.event()), system)
        .thenApply(state -> state.view(leadId, now));
  }

  @Override
  public CompletionStage<TrailPage> transactions(String accountId, long afterVersion, int limit) {
    String pid = Account.persistenceId(accountId).id();
    return plain(
            journal
                .currentEventsByPersistenceId(pid, afterVersion + 1, afterVersion + limit)
                .runWith(Sink.seq(), system))
        .thenApply(
            envelopes -> {
              List<TrailPage.Item> items = new ArrayList<>(envelopes.size());
              for (EventEnvelope env : envelopes) {
                items.add(TrailPage.Item.of(env.sequenceNr(), (AccountEvent) env.event()));
              }
              return TrailPage.of(items, limit);
            });
  }

  /**
   * The claim is found through its debit in the tradie's own journal (its transaction id is the
   * claim id), which names the lead, the price paid, the time and the grants it spent; each grant's
   * terms come from its top-up, found the same way. So only the claim's tradie finds it.
   */
  @Override
  public CompletionStage<RefundReply> requestRefund(
      String tradieId, String claimId, RefundReason reason, String note) {
    Instant now = clock.instant();
    return plain(
        lookup
            .events(tradieId, List.of(claimId))
            .thenCompose(
                events -> {
                  Optional<AccountEvent.Debited> debit =
                      events.stream()
                          .filter(e -> e instanceof AccountEvent.Debited)
                          .map(e -> (AccountEvent.Debited) e)
                          .filter(d -> claimId.equals(d.entry().metadata().get("claimId")))
                          .reduce((first, second) -> second);
                  if (debit.isEmpty()) {
                    return CompletableFuture.completedFuture(
                        (RefundReply)
                            new RefundReply.Rejected(
                                Rejection.NOT_FOUND, "no claim " + claimId + " of yours"));
                  }
                  return claimOf(tradieId, debit.get())
                      .thenCombine(
                          lookup.claimsAndRefundsSince(
                              tradieId, now.minus(settings.refunds().rateLookback())),
                          (claim, rate) -> Map.entry(claim, flagged(rate)))
                      .thenCompose(
                          asked ->
                              refund(
                                  RefundRules.refundIdOf(claimId),
                                  to ->
                                      new RefundCommand.Request(
                                          asked.getKey(), reason, note, asked.getValue(), to)));
                }));
  }

  /** More approved refunds than the allowed share of the tradie's claims. */
  private boolean flagged(TransactionLookup.ClaimsAndRefunds rate) {
    return rate.claims() > 0 && rate.refunds() > settings.refunds().rateMax() * rate.claims();
  }

  private CompletionStage<RefundClaim> claimOf(String tradieId, AccountEvent.Debited debit) {
    AccountEvent.Entry e = debit.entry();
    List<GrantAmount> taken =
        debit.grants() != null
            ? debit.grants()
            : List.of(new GrantAmount(Grant.LEGACY_ID, e.amount()));
    List<String> grantIds = taken.stream().map(GrantAmount::grantId).toList();
    return lookup
        .events(tradieId, grantIds)
        .thenApply(
            events -> {
              Map<String, GrantTerms> terms = new java.util.HashMap<>();
              for (AccountEvent g : events) {
                if (g instanceof AccountEvent.Credited c && c.grant() != null) {
                  terms.put(c.entry().transactionId(), c.grant());
                }
              }
              List<SpentGrant> spent =
                  taken.stream()
                      .map(t -> new SpentGrant(t.grantId(), t.amount(), terms.get(t.grantId())))
                      .toList();
              return new RefundClaim(
                  e.transactionId(),
                  ClaimDebit.leadOf(e.metadata()),
                  tradieId,
                  e.amount(),
                  e.at(),
                  spent);
            });
  }

  @Override
  public CompletionStage<io.leadcredits.refund.RefundDirectory.Page> refunds(
      io.leadcredits.refund.RefundStatus status, String after, int limit) {
    return plain(refundDirectory.page(status, after, limit));
  }

  @Override
  public CompletionStage<io.leadcredits.refund.RefundDirectory.ClaimPage> claims(
      String accountId, long after, int limit) {
    return plain(refundDirectory.claims(accountId, after, limit));
  }

  @Override
  public CompletionStage<RefundReply> approveRefund(
      String refundId, Long amount, String note, String by) {
    return refund(refundId, r -> new RefundCommand.Approve(amount, note, by, r));
  }

  @Override
  public CompletionStage<RefundReply> rejectRefund(String refundId, String note, String by) {
    return refund(refundId, r -> new RefundCommand.Reject(note, by, r));
  }

  private CompletionStage<RefundReply> refund(
      String refundId,
      org.apache.pekko.japi.function.Function<
              org.apache.pekko.actor.typed.ActorRef<RefundReply>, RefundCommand>
          command) {
    if (RefundRules.claimIdOf(refundId) == null) {
      return CompletableFuture.completedFuture(
          new RefundReply.Rejected(Rejection.NOT_FOUND, "no refund " + refundId));
    }
    return plain(sharding.entityRefFor(Refund.ENTITY_KEY, refundId).ask(command, askTimeout));
  }

  /** The trail's events from the first, folded into the period's statement as they are read. */
  @Override
  public CompletionStage<Optional<Statement>> statement(
      String accountId, Instant from, Instant to) {
    String pid = Account.persistenceId(accountId).id();
    return plain(
            journal
                .currentEventsByPersistenceId(pid, 1, Long.MAX_VALUE)
                .runFold(
                    new Statement.Builder(accountId, from, to),
                    (b, env) -> b.accept(env.sequenceNr(), (AccountEvent) env.event()),
                    system))
        .thenApply(b -> b.exists() ? Optional.of(b.build()) : Optional.empty());
  }

  @Override
  public CompletionStage<AuditReport> audit() {
    return plain(audit.run()).thenApply(JournalAudit.Result::report);
  }

  @Override
  public CompletionStage<Readiness> readiness() {
    return readiness.get();
  }

  @Override
  public CompletionStage<Optional<ClusterView>> cluster() {
    return plain(ClusterStatus.read(system, askTimeout).thenApply(Optional::of));
  }

  private CompletionStage<AccountReply> account(
      String accountId,
      org.apache.pekko.japi.function.Function<
              org.apache.pekko.actor.typed.ActorRef<AccountReply>, AccountCommand>
          command) {
    return plain(sharding.entityRefFor(Account.ENTITY_KEY, accountId).ask(command, askTimeout));
  }

  private CompletionStage<LeadReply> lead(
      String leadId,
      org.apache.pekko.japi.function.Function<
              org.apache.pekko.actor.typed.ActorRef<LeadReply>, LeadCommand>
          command) {
    return plain(sharding.entityRefFor(Lead.ENTITY_KEY, leadId).ask(command, askTimeout));
  }

  /** See {@link Stages}: callbacks on what the engine returns run on the dispatcher. */
  private <T> CompletionStage<T> plain(CompletionStage<T> stage) {
    return Stages.on(system.executionContext(), stage);
  }

  @Override
  public CompletionStage<FeedPage> events(
      FeedCursor after, int limit, TypeFilter types, Duration wait) {
    return feed.read(after, limit, types, wait);
  }

  @Override
  public CompletionStage<Registration> createWebhook(
      String url, List<String> types, String description) {
    return webhooks.create(url, types, description);
  }

  @Override
  public CompletionStage<List<WebhookEndpoint>> webhooks() {
    return webhooks.list();
  }

  @Override
  public CompletionStage<Optional<WebhookEndpoint>> webhook(String id) {
    return webhooks.find(id);
  }

  @Override
  public CompletionStage<Optional<WebhookEndpoint>> enableWebhook(String id) {
    return webhooks.enable(id);
  }

  @Override
  public CompletionStage<Boolean> deleteWebhook(String id) {
    return webhooks.delete(id);
  }

  @Override
  public CompletionStage<Optional<String>> rotateWebhookSecret(String id) {
    return webhooks.rotateSecret(id);
  }

  @Override
  public CompletionStage<Optional<List<Delivery>>> webhookDeliveries(String id, int limit) {
    return webhooks.deliveries(id, limit);
  }

  @Override
  public CompletionStage<CreditReport> creditReport(CreditReport.Query query) {
    return plain(reports.report(query));
  }
}
