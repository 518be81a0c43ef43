package io.leadcredits.bench;

import io.leadcredits.testkit.LedgerSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
   * Per lead, the claims the engine decided other than for want of credits (won, or refused as
   * full): each from a funded tradie who rushed it. Once a lead has maxClaims of them it must be
   * full.
   */
  private final ConcurrentHashMap<String, AtomicInteger> fundedDecided = new ConcurrentHashMap<>();

  /** The highest cost a lead is created at: with the funding, what keeps every tradie funded. */
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
                          if (Outcome.of(status).decided() && status != 402) {
                            fundedDecided
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
   * refusal as full before then, or a won claim not kept, would leave it short. Funded: a tradie's
   * funding covers every lead of the run at the highest cost, so none ran out, which the check
   * confirms rather than assumes.
   */
  @Override
  public List<String> check(LedgerSnapshot ledger) {
    Map<String, Integer> decided = new HashMap<>();
    fundedDecided.forEach((lead, n) -> decided.put(lead, n.get()));
    Map<String, Integer> claims = new HashMap<>();
    ledger.leads().forEach((lead, view) -> claims.put(lead, view.path("claims").size()));
    List<String> problems = new ArrayList<>();
    long leadsMax = nextRoundMax() + 1L;
    if (leadsMax * costMax > HotLeadScenario.tradieFunding) {
      problems.add(
          "hot-lead: "
              + leadsMax
              + " leads could cost a tradie more than its funding: the fill check does not apply");
      return problems;
    }
    problems.addAll(underfilled(decided, claims, HotLeadScenario.maxClaims));
    return problems;
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

  /** The highest round any client reached. */
  private int nextRoundMax() {
    int max = 0;
    for (int r : nextRound) {
      max = Math.max(max, r);
    }
    return max;
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
