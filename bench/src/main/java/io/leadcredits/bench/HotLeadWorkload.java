package io.leadcredits.bench;

import java.util.SplittableRandom;
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
                        status -> answered(round)));
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
    long cost = 1 + random.nextInt(20);
    return Seeding.createLead(context, leadId, cost, HotLeadScenario.maxClaims)
        .thenApply(done -> new Round(index, leadId, cost))
        .whenComplete(
            (round, failure) -> {
              if (failure != null) {
                System.err.println("bench: hot-lead could not create " + leadId + ": " + failure);
              }
            });
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
