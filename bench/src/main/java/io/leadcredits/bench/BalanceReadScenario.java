package io.leadcredits.bench;

import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code balance-read}: tradies read their own balance ({@code GET /api/credits/balance} with their
 * token) across many accounts, as fast as the clients go. Tokens are signed while seeding.
 */
final class BalanceReadScenario implements Scenario {
  static final int accountsFull = 100_000;
  static final int accountsQuick = 5_000;
  static final long accountFunding = 100;

  @Override
  public String name() {
    return "balance-read";
  }

  @Override
  public long seed() {
    return 0x5EED_0004L;
  }

  @Override
  public String sizes(boolean quick) {
    return accounts(quick)
        + " accounts, each read by its own tradie token"
        + (quick ? " (scaled down by --quick from 100,000)" : "");
  }

  static int accounts(boolean quick) {
    return quick ? accountsQuick : accountsFull;
  }

  static String account(int i) {
    return "r-" + i;
  }

  @Override
  public void prepare(BenchContext c) throws InterruptedException {
    Seeding.fund(c, accounts(c.quick()), BalanceReadScenario::account, accountFunding);
    for (int i = 0; i < accounts(c.quick()); i++) {
      c.tokens().tradie(account(i));
    }
  }

  @Override
  public Workload workload(BenchContext c) {
    int accounts = accounts(c.quick());
    SplittableRandom[] randoms = new SplittableRandom[c.clients()];
    for (int i = 0; i < randoms.length; i++) {
      randoms[i] = new SplittableRandom(seed() + i);
    }
    return new Workload() {
      private volatile boolean stopped;

      @Override
      public CompletionStage<Op> next(int client) {
        return CompletableFuture.completedFuture(
            stopped
                ? Op.STOP
                : Ops.balance(c, account(randoms[client].nextInt(accounts)), accountFunding));
      }

      @Override
      public void stop() {
        stopped = true;
      }
    };
  }
}
