package io.leadcredits.lead;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.leadcredits.Rejection;
import io.leadcredits.account.Account;
import io.leadcredits.account.AccountCommand;
import io.leadcredits.account.AccountReply;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.claim.ClaimResult;
import io.leadcredits.pricing.Price;
import io.leadcredits.pricing.PriceInputs;
import io.leadcredits.pricing.PriceList;
import io.leadcredits.pricing.PriceRules;
import io.leadcredits.pricing.PriceSource;
import io.leadcredits.pricing.PricesInForce;
import io.leadcredits.support.EntityTestKits;
import io.leadcredits.support.InMemoryWakeupStore;
import io.leadcredits.support.MutableClock;
import io.leadcredits.support.TestSettings;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;

/**
 * The lead, its claim processes and real account entities against a reference model of a few lines:
 * random sequences of claims by a handful of tradies (some with a maxCost), top-ups, changes of the
 * price list, closing, voiding, restarts, and journal writes of the lead that fail (Pekko's
 * persistence testkit) when a slot is taken, a claim confirmed, a slot given back or a void's
 * refund recorded. The lead is priced by the list with competition and a tier. After every step the
 * lead holds exactly the model's winners, none pending, and every tradie's balance is the model's:
 * each winner paid exactly its price, once.
 *
 * <p>The model: a tradie who won is answered with that claim, as it was priced; a lead with
 * maxClaims winners is full (also when closed); a closed lead refuses; the price is the list's for
 * the tradie's tier with the winners so far as competition, and above the tradie's maxCost the
 * claim is refused; a tradie without the credits is refused and holds nothing; anyone else wins and
 * pays that price. A voided lead refuses every claim and gives each winner back the price paid,
 * once, with no refund left owed. A claim whose write failed is answered unknown or with its true
 * outcome, never with a wrong one; asked again, it converges on the model's answer.
 */
class LeadModelTest {
  /** A failed write restarts the lead after a backoff that grows with failures in a row. */
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.testkit.typed.single-expect-default = 10s")
              .withFallback(EntityTestKits.config()));

  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
  private static final AtomicInteger runs = new AtomicInteger();

  /** The lists the price list alternates between: cheaper and dearer with competition. */
  private static final PriceList[] lists = {
    new PriceList(
        new PriceList.Base(8, null),
        null,
        null,
        new TreeMap<>(Map.of("gold", new BigDecimal("0.5"))),
        new PriceList.Competition(new BigDecimal("-0.25"), new BigDecimal("0.5")),
        1,
        RoundingMode.HALF_UP),
    new PriceList(
        new PriceList.Base(12, new TreeMap<>(Map.of("plumbing", 6L))),
        null,
        null,
        new TreeMap<>(Map.of("gold", new BigDecimal("1.5"))),
        new PriceList.Competition(new BigDecimal("0.5"), null),
        1,
        RoundingMode.DOWN)
  };

  private static final long noBound = Long.MAX_VALUE;
  private static final int maxClaims = 2;
  private static final int tradies = 4;
  private static final Duration answerWait = Duration.ofSeconds(10);
  private static final int askAgainMax = 10;

  @AfterContainer
  static void stop() {
    testKit.shutdownTestKit();
  }

  sealed interface Op {}

  record ClaimOp(int tradie, long maxCost) implements Op {}

  /** The next version of the price list is put in force. */
  record PriceOp() implements Op {}

  record TopUpOp(int tradie, long amount) implements Op {}

  record CloseOp() implements Op {}

  /** An admin voids the lead: every winner is refunded the price paid, once. */
  record VoidOp() implements Op {}

  record RestartOp() implements Op {}

  /** The lead's next write holding this kind of event fails. */
  record FaultOp(Class<? extends LeadEvent> failing) implements Op {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Integer> tradie = Arbitraries.integers().between(0, tradies - 1);
    Arbitrary<Op> claim =
        tradie.flatMap(
            t -> Arbitraries.of(noBound, noBound, 3L, 6L, 10L).map(m -> new ClaimOp(t, m)));
    Arbitrary<Op> topUp =
        tradie.flatMap(t -> Arbitraries.longs().between(5, 30).map(a -> new TopUpOp(t, a)));
    Arbitrary<Op> fault =
        Arbitraries.of(
                LeadEvent.SlotTaken.class,
                LeadEvent.ClaimConfirmed.class,
                LeadEvent.SlotReleased.class,
                LeadEvent.VoidRefunded.class)
            .map(FaultOp::new);
    return Arbitraries.frequencyOf(
            Tuple.of(20, claim),
            Tuple.of(14, topUp),
            Tuple.of(6, fault),
            Tuple.of(3, Arbitraries.just(new PriceOp())),
            Tuple.of(1, Arbitraries.just(new CloseOp())),
            Tuple.of(1, Arbitraries.just(new VoidOp())),
            Tuple.of(2, Arbitraries.just(new RestartOp())))
        .list()
        .ofMinSize(1)
        .ofMaxSize(30)
        .withSizeDistribution(RandomDistribution.uniform());
  }

  @Property(tries = 40, shrinking = ShrinkingMode.BOUNDED)
  void claimsAgreeWithTheModelThroughFailedWrites(@ForAll("operations") List<Op> ops) {
    Run run = new Run();
    try {
      for (int step = 0; step < ops.size(); step++) {
        run.apply("step " + step + " " + ops.get(step), ops.get(step));
      }
    } finally {
      journal.resetPolicy();
    }
  }

  private static final class Run {
    private final String prefix = "lm" + runs.incrementAndGet() + "-";
    private final String leadId = prefix + "lead";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryWakeupStore wakeups = new InMemoryWakeupStore();
    private final Map<String, ActorRef<AccountCommand>> accounts = new HashMap<>();
    private final EventSourcedBehaviorTestKit<LeadCommand, LeadEvent, LeadState> lead;
    private final AtomicBoolean faultArmed = new AtomicBoolean();
    private final AtomicReference<String> failed = new AtomicReference<>();

    // The model.
    private final Map<String, Long> balances = new HashMap<>();
    private final Map<String, Price> winners = new LinkedHashMap<>();
    private boolean closed;
    private boolean voided;
    private volatile PricesInForce prices = new PricesInForce(1, lists[1]);
    private final PriceSource source =
        new PriceSource() {
          @Override
          public PricesInForce prices() {
            return prices;
          }

          @Override
          public String tierOf(String tradieId) {
            return tradieId.equals(tradie(0)) ? "gold" : null;
          }
        };

    /**
     * A write could fail in the last step: the lead may converge after a restart, not at once. A
     * claim is answered once paid, before its confirmation is written, so the failure of that write
     * comes after the answer.
     */
    private boolean restarting;

    Run() {
      lead =
          EventSourcedBehaviorTestKit.create(
              testKit.system(),
              Lead.create(
                  leadId,
                  TestSettings.defaults(),
                  clock,
                  wakeups,
                  this::account,
                  io.leadcredits.metrics.Metrics.none(),
                  source,
                  this::refund));
      LeadRules.Terms terms = LeadRules.Terms.of(0, maxClaims, null, "plumbing", null, null);
      LeadReply created = lead.<LeadReply>runCommand(r -> new LeadCommand.Create(terms, r)).reply();
      assertThat(created).isInstanceOf(LeadReply.Accepted.class);
      for (int t = 0; t < tradies; t++) {
        balances.put(tradie(t), 0L);
      }
    }

    private synchronized ActorRef<AccountCommand> account(String id) {
      return accounts.computeIfAbsent(
          id, i -> testKit.spawn(Account.create(i, TestSettings.defaults(), clock, wakeups)));
    }

    /**
     * A voided lead's refund, straight to the account with a transaction id of the claim's own, so
     * a repeat is applied once (the refund entity is RefundTest's). The debit's grants are not
     * looked up here: what comes back is a promotional grant, which counts in the balance alike.
     */
    private java.util.concurrent.CompletionStage<Boolean> refund(
        String lead, LeadState.Confirmed claim, String by) {
      return org.apache.pekko.actor.typed.javadsl.AskPattern.<AccountCommand, AccountReply>ask(
              account(claim.tradieId()),
              r ->
                  new AccountCommand.Refund(
                      "rfd-" + claim.claimId(),
                      claim.creditsUsed(),
                      List.of(
                          new io.leadcredits.account.SpentGrant(
                              "model-" + claim.claimId(), claim.creditsUsed(), null)),
                      Duration.ofDays(180),
                      Map.of("claimId", claim.claimId(), "leadId", lead),
                      r),
              answerWait,
              testKit.system().scheduler())
          .thenApply(reply -> reply instanceof AccountReply.Accepted);
    }

    private String tradie(int t) {
      return prefix + "t" + t;
    }

    void apply(String where, Op op) {
      if (op instanceof ClaimOp c) {
        claim(where, tradie(c.tradie()), c.maxCost());
      } else if (op instanceof PriceOp) {
        long next = prices.version() + 1;
        prices = new PricesInForce(next, lists[(int) (next % lists.length)]);
      } else if (op instanceof TopUpOp t) {
        String id = tradie(t.tradie());
        TestProbe<AccountReply> probe = testKit.createTestProbe();
        account(id)
            .tell(
                new AccountCommand.Credit(
                    "topup-" + balances.size() + "-" + System.nanoTime(),
                    t.amount(),
                    Map.of(),
                    probe.ref()));
        assertThat(probe.receiveMessage(answerWait))
            .as(where)
            .isInstanceOf(AccountReply.Accepted.class);
        balances.merge(id, t.amount(), Long::sum);
      } else if (op instanceof CloseOp) {
        LeadReply reply = lead.<LeadReply>runCommand(LeadCommand.Close::new).reply();
        assertThat(reply).as(where).isInstanceOf(LeadReply.Accepted.class);
        closed = true;
      } else if (op instanceof VoidOp) {
        LeadReply reply =
            lead.<LeadReply>runCommand(r -> new LeadCommand.VoidLead("fake", "ops", r)).reply();
        assertThat(reply).as(where).isInstanceOf(LeadReply.Accepted.class);
        assertThat(((LeadReply.Accepted) reply).replayed()).as(where).isEqualTo(voided);
        if (!voided) {
          voided = true;
          winners.forEach((t, price) -> balances.merge(t, price.creditCost(), Long::sum));
          Statistics.collect("voided");
        }
        restarting = true; // the refunds follow the answer
      } else if (op instanceof RestartOp) {
        lead.restart();
      } else if (op instanceof FaultOp f) {
        arm(f.failing());
      }
      check(where);
    }

    /** One-shot: the next lead write holding a {@code failing} event fails, later ones succeed. */
    private void arm(Class<? extends LeadEvent> failing) {
      if (!faultArmed.compareAndSet(false, true)) {
        return;
      }
      String pid = Lead.persistenceId(leadId).id();
      journal.failNextNOpsCond(
          (persistenceId, op) ->
              persistenceId.equals(pid)
                  && op instanceof WriteEvents w
                  && w.getBatch().stream().anyMatch(failing::isInstance)
                  && faultArmed.compareAndSet(true, false)
                  && fired(failing),
          1);
    }

    /** Called on the journal's thread; the statistics are collected on the property's. */
    private boolean fired(Class<? extends LeadEvent> failing) {
      failed.set(failing.getSimpleName());
      return true;
    }

    private void claim(String where, String tradie, long maxCost) {
      Price price = price(tradie);
      ClaimReply expected = decide(tradie, maxCost, price);
      boolean faultPossible = faultArmed.get();
      ClaimReply first = ask(tradie, maxCost);
      ClaimReply last = first;
      if (first instanceof ClaimReply.Pending) {
        assertThat(faultPossible)
            .as(where + ": only a failed write leaves a claim unknown, got " + first)
            .isTrue();
        Statistics.collect("unknown, then asked again");
        for (int i = 0; i < askAgainMax && last instanceof ClaimReply.Pending; i++) {
          last = ask(tradie, maxCost);
        }
      }
      if (expected instanceof ClaimReply.Claimed) {
        assertThat(last).as(where + ": " + last).isInstanceOf(ClaimReply.Claimed.class);
        boolean wonBefore = winners.containsKey(tradie);
        if (first == last && !faultPossible) {
          assertThat(((ClaimReply.Claimed) last).replayed()).as(where).isEqualTo(wonBefore);
        }
        ClaimResult result = ((ClaimReply.Claimed) last).result();
        assertThat(result.tradieId()).isEqualTo(tradie);
        if (!wonBefore) {
          winners.put(tradie, price);
          balances.merge(tradie, -price.creditCost(), Long::sum);
        }
        // A winner is answered with the claim as it was priced, whatever the list says now.
        Price paid = winners.get(tradie);
        assertThat(result.creditsUsed()).as(where + ": price").isEqualTo(paid.creditCost());
        assertThat(result.pricingVersion()).as(where).isEqualTo(paid.pricingVersion());
        Statistics.collect(wonBefore ? "replayed" : "won");
      } else if (expected instanceof ClaimReply.PriceAboveMax above) {
        assertThat(last).as(where + ": " + last).isInstanceOf(ClaimReply.PriceAboveMax.class);
        assertThat(((ClaimReply.PriceAboveMax) last).price()).as(where).isEqualTo(above.price());
        Statistics.collect("PRICE_ABOVE_MAX");
      } else {
        Rejection reason = ((ClaimReply.Rejected) expected).reason();
        assertThat(last).as(where + ": " + last).isInstanceOf(ClaimReply.Rejected.class);
        assertThat(((ClaimReply.Rejected) last).reason()).as(where).isEqualTo(reason);
        Statistics.collect(reason.name());
      }
      restarting = faultPossible;
    }

    private ClaimReply ask(String tradie, long maxCost) {
      TestProbe<ClaimReply> probe = testKit.createTestProbe();
      lead.runCommand(new LeadCommand.Claim(tradie, maxCost, probe.ref()));
      return probe.receiveMessage(answerWait);
    }

    /** The model's price: the list in force, the tradie's tier, the winners so far. */
    private Price price(String tradie) {
      PriceRules.Outcome outcome =
          PriceRules.price(
              prices,
              new PriceInputs(0, "plumbing", null, null, source.tierOf(tradie), winners.size()));
      return ((PriceRules.Priced) outcome).price();
    }

    private ClaimReply decide(String tradie, long maxCost, Price price) {
      if (voided) {
        return new ClaimReply.Rejected(Rejection.LEAD_CLOSED, "");
      }
      if (winners.containsKey(tradie)) {
        return new ClaimReply.Claimed(null, true);
      }
      if (winners.size() >= maxClaims) {
        return new ClaimReply.Rejected(Rejection.LEAD_FULL, "");
      }
      if (closed) {
        return new ClaimReply.Rejected(Rejection.LEAD_CLOSED, "");
      }
      if (price.creditCost() > maxCost) {
        return new ClaimReply.PriceAboveMax(price, maxCost, "");
      }
      if (balances.get(tradie) < price.creditCost()) {
        return new ClaimReply.Rejected(Rejection.INSUFFICIENT_CREDITS, "");
      }
      return new ClaimReply.Claimed(null, false);
    }

    /**
     * The lead holds exactly the model's winners, nothing pending, and balances are the model's.
     */
    private void check(String where) {
      if (restarting) {
        restarting = false;
        testKit
            .createTestProbe()
            .awaitAssert(
                answerWait,
                () -> {
                  checkLead(where);
                  return null;
                });
      } else {
        checkLead(where);
      }
      String failedWrite = failed.getAndSet(null);
      if (failedWrite != null) {
        Statistics.label("failed writes").collect(failedWrite);
      }
      for (Map.Entry<String, Long> b : balances.entrySet()) {
        TestProbe<AccountReply> probe = testKit.createTestProbe();
        account(b.getKey()).tell(new AccountCommand.Get(probe.ref()));
        AccountReply reply = probe.receiveMessage(answerWait);
        if (reply instanceof AccountReply.Rejected r) {
          // An account never topped up does not exist yet.
          assertThat(r.reason()).as(where).isEqualTo(Rejection.NOT_FOUND);
          assertThat(b.getValue()).as(where + ": balance of " + b.getKey()).isZero();
          continue;
        }
        long balance = ((AccountReply.Accepted) reply).view().balance();
        assertThat(balance).as(where + ": balance of " + b.getKey()).isEqualTo(b.getValue());
      }
    }

    private void checkLead(String where) {
      LeadState state = lead.getState();
      List<String> won = new ArrayList<>();
      state.confirmed().forEach(c -> won.add(c.tradieId()));
      assertThat(won)
          .as(where + ": the winners")
          .containsExactlyInAnyOrderElementsOf(winners.keySet());
      for (LeadState.Confirmed c : state.confirmed()) {
        Price paid = winners.get(c.tradieId());
        if (paid != null) {
          assertThat(c.creditsUsed())
              .as(where + ": paid by " + c.tradieId())
              .isEqualTo(paid.creditCost());
          assertThat(c.pricingVersion()).as(where).isEqualTo(paid.pricingVersion());
        }
      }
      assertThat(state.pending()).as(where + ": claims left pending").isEmpty();
      assertThat(state.voided() != null).as(where + ": voided").isEqualTo(voided);
      assertThat(state.refundsOwed()).as(where + ": refunds owed").isEmpty();
      assertThat(state.closedAt() != null).as(where + ": closed").isEqualTo(closed);
    }
  }
}
