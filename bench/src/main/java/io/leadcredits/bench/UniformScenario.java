package io.leadcredits.bench;

import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code uniform}: many accounts and leads, load spread evenly: 60% claims of a random lead by a
 * random tradie, 20% top-ups and 20% debits of random accounts. Leads fill up as the run goes on,
 * so later claims are increasingly refused (409), as on a real marketplace.
 */
final class UniformScenario implements Scenario {
  static final int accountsFull = 100_000;
  static final int leadsFull = 10_000;
  static final int accountsQuick = 5_000;
  static final int leadsQuick = 500;
  static final long accountFunding = 1_000;
  static final int maxClaims = 3;

  @Override
  public String name() {
    return "uniform";
  }

  @Override
  public long seed() {
    return 0x5EED_0003L;
  }

  @Override
  public String sizes(boolean quick) {
    return accounts(quick)
        + " accounts funded "
        + accountFunding
        + ", "
        + leads(quick)
        + " leads (maxClaims "
        + maxClaims
        + ", cost 1..10); 60% claims, 20% top-ups of 1..100, 20% debits of 1..50"
        + (quick ? " (scaled down by --quick from 100,000 accounts and 10,000 leads)" : "");
  }

  static int accounts(boolean quick) {
    return quick ? accountsQuick : accountsFull;
  }

  static int leads(boolean quick) {
    return quick ? leadsQuick : leadsFull;
  }

  static String account(int i) {
    return "u-" + i;
  }

  static String lead(int i) {
    return "ul-" + i;
  }

  /** A lead's cost follows from the seed and its index, so prepare and load agree. */
  long cost(int lead) {
    return 1 + new SplittableRandom(seed() ^ lead).nextInt(10);
  }

  @Override
  public void prepare(BenchContext c) throws InterruptedException {
    Seeding.fund(c, accounts(c.quick()), UniformScenario::account, accountFunding);
    Seeding.leads(c, leads(c.quick()), UniformScenario::lead, this::cost, maxClaims);
    for (int i = 0; i < accounts(c.quick()); i++) {
      c.tokens().tradie(account(i)); // signed now, not on the measured path
    }
  }

  @Override
  public Workload workload(BenchContext c) {
    return new Load(c);
  }

  private final class Load implements Workload {
    private final BenchContext context;
    private final SplittableRandom[] randoms;
    private final long[] sequence;
    private final long[] costs;
    private final int accounts;
    private volatile boolean stopped;

    Load(BenchContext context) {
      this.context = context;
      this.randoms = new SplittableRandom[context.clients()];
      for (int i = 0; i < randoms.length; i++) {
        randoms[i] = new SplittableRandom(seed() + i);
      }
      this.sequence = new long[context.clients()];
      this.accounts = accounts(context.quick());
      this.costs = new long[leads(context.quick())];
      for (int i = 0; i < costs.length; i++) {
        costs[i] = cost(i);
      }
    }

    @Override
    public CompletionStage<Op> next(int client) {
      if (stopped) {
        return CompletableFuture.completedFuture(Op.STOP);
      }
      SplittableRandom random = randoms[client];
      String accountId = account(random.nextInt(accounts));
      int dice = random.nextInt(10);
      if (dice < 6) {
        int lead = random.nextInt(costs.length);
        return CompletableFuture.completedFuture(Ops.claim(context, lead(lead), accountId, null));
      }
      String tx = "u-c" + client + "-" + sequence[client]++;
      Op op =
          dice < 8
              ? Ops.credit(context, accountId, tx, 1 + random.nextInt(100))
              : Ops.debit(context, accountId, tx, 1 + random.nextInt(50));
      return CompletableFuture.completedFuture(op);
    }

    @Override
    public void stop() {
      stopped = true;
    }
  }
}
