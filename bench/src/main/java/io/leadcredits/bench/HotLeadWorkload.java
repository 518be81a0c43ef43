package io.leadcredits.bench;

import io.leadcredits.testkit.LedgerSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rounds of {@code hot-lead}. Round r's gate opens when lead r exists and every claim of round
 * r-1 was answered; lead r+1 is created while round r runs, so the drop itself costs no wait.
 */
final class HotLeadWorkload implements Workload {
  private record Round(int index, String leadId, long cost) {}

  private final BenchContext context;
  private final SplittableRandom random;
  private final int clients;
  private final ConcurrentHashMap<Integer, CompletableFuture<Round>> gates =
      new ConcurrentHashMap<>();
  private final AtomicInteger answered = new AtomicInteger();

  /**
   * Per lead, the claims the engine decided: won, or refused (as full, since its tradies are
   * funded). Once maxClaims of them were answered the lead must be full, unless a payment on it was
   * refused ({@link #unpaid}).
   */
  private final ConcurrentHashMap<String, AtomicInteger> decided = new ConcurrentHashMap<>();

  /**
   * Leads on which a claim was refused for want of credits (402). A slot whose payment fails is
   * given back after others may have been refused as full meanwhile, so such a lead may end short
   * of maxClaims with a correct engine; the scenario funds every tradie for every lead of a run, so
   * this set stays empty in practice.
   */
  private final Set<String> unpaid = ConcurrentHashMap.newKeySet();

  /** The highest cost a lead is created at. */
  static final long costMax = 20;

  /** The round each client plays next; each client's chain runs one step at a time. */
  private final int[] nextRound;

  private volatile CompletableFuture<Round> creating;
  private volatile boolean stopped;

  HotLeadWorkload(BenchContext context, long seed) {
    this.context = context;
    this.random = new SplittableRandom(seed);
    this.clients = context.clients();
    this.nextRound = new int[clients];
    create(0).thenAccept(this::open);
  }

  @Override
  public CompletionStage<Op> next(int client) {
    if (stopped) {
      return CompletableFuture.completedFuture(Op.STOP);
    }
    int r = nextRound[client]++;
    return gate(r)
        .thenApply(
            round ->
                round == null || stopped
                    ? Op.STOP
                    : Ops.claim(
                        context,
                        round.leadId(),
                        HotLeadScenario.tradie(client),
                        status -> {
                          if (status == 402) {
                            unpaid.add(round.leadId());
                          } else if (Outcome.of(status).decided()) {
                            decided
                                .computeIfAbsent(round.leadId(), k -> new AtomicInteger())
                                .incrementAndGet();
                          }
                          answered(round);
                        }));
  }

  @Override
  public void stop() {
    stopped = true;
    gates.values().forEach(g -> g.complete(null));
  }

  private CompletableFuture<Round> gate(int round) {
    CompletableFuture<Round> gate = gates.computeIfAbsent(round, r -> new CompletableFuture<>());
    if (stopped) {
      gate.complete(null);
    }
    return gate;
  }

  /** Called in order (round r opens only after round r-1 closed), so the random draws are too. */
  private CompletableFuture<Round> create(int index) {
    String leadId = "hl-" + index;
    long cost = 1 + random.nextInt((int) costMax);
    return Seeding.createLead(context, leadId, cost, HotLeadScenario.maxClaims)
        .thenApply(done -> new Round(index, leadId, cost))
        .whenComplete(
            (round, failure) -> {
              if (failure != null) {
                System.err.println("bench: hot-lead could not create " + leadId + ": " + failure);
              }
            });
  }

  /**
   * Every lead that at least maxClaims funded tradies rushed and were answered on is full: a
   * refusal as full before then, or a won claim not kept, would leave it short.
   */
  @Override
  public List<String> check(LedgerSnapshot ledger) {
    Map<String, Integer> answered = new HashMap<>();
    decided.forEach(
        (lead, n) -> {
          if (!unpaid.contains(lead)) {
            answered.put(lead, n.get());
          }
        });
    Map<String, Integer> claims = new HashMap<>();
    ledger.leads().forEach((lead, view) -> claims.put(lead, view.path("claims").size()));
    return underfilled(answered, claims, HotLeadScenario.maxClaims);
  }

  /**
   * The leads that {@code maxClaims} or more funded tradies were answered on ({@code decided}) but
   * that have fewer than maxClaims claims in the service ({@code claims}; a lead missing counts as
   * none).
   */
  static List<String> underfilled(
      Map<String, Integer> decided, Map<String, Integer> claims, int maxClaims) {
    List<String> problems = new ArrayList<>();
    new TreeMap<>(decided)
        .forEach(
            (lead, answered) -> {
              int n = claims.getOrDefault(lead, 0);
              if (answered >= maxClaims && n < maxClaims) {
                problems.add(
                    "lead "
                        + lead
                        + ": "
                        + n
                        + " claims after "
                        + answered
                        + " funded tradies rushed it; maxClaims "
                        + maxClaims);
              }
            });
    return problems;
  }

  private void open(Round round) {
    answered.set(0);
    creating = create(round.index() + 1);
    gates.remove(round.index() - 2);
    gate(round.index()).complete(round);
  }

  private void answered(Round round) {
    if (answered.incrementAndGet() == clients && !stopped) {
      creating.thenAccept(this::open);
    }
  }
}
