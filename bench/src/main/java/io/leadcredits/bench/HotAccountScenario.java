package io.leadcredits.bench;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code hot-account}: one agency account shared by every client. Each client alternates a debit
 * with a reservation followed, once accepted, by its capture; every amount is 1 credit and the
 * account holds far more than a run can spend, so every request should be accepted.
 */
final class HotAccountScenario implements Scenario {
  static final String account = "agency";

  /** A billion credits: no run of this benchmark spends them. */
  static final long funding = 1_000_000_000L;

  @Override
  public String name() {
    return "hot-account";
  }

  @Override
  public long seed() {
    return 0x5EED_0002L;
  }

  @Override
  public String sizes(boolean quick) {
    return "one account funded "
        + funding
        + "; each client alternates a debit of 1 and a reservation of 1 followed by its capture";
  }

  @Override
  public void prepare(BenchContext c) throws InterruptedException {
    Seeding.fund(c, 1, i -> account, funding);
  }

  @Override
  public Workload workload(BenchContext c) {
    return new Load(c);
  }

  @Override
  public Optional<String> hotAccount() {
    return Optional.of(account);
  }

  /** Per client: a sequence number and the hold to capture next, if any. */
  private static final class Load implements Workload {
    private final BenchContext context;
    private final long[] sequence;
    private final String[] toCapture;
    private volatile boolean stopped;

    Load(BenchContext context) {
      this.context = context;
      this.sequence = new long[context.clients()];
      this.toCapture = new String[context.clients()];
    }

    @Override
    public CompletionStage<Op> next(int client) {
      if (stopped) {
        return CompletableFuture.completedFuture(Op.STOP);
      }
      String hold = toCapture[client];
      if (hold != null) {
        toCapture[client] = null;
        return CompletableFuture.completedFuture(Ops.capture(context, account, hold));
      }
      long n = sequence[client]++;
      if (n % 2 == 0) {
        return CompletableFuture.completedFuture(
            Ops.debit(context, account, "ha-d" + client + "-" + n, 1));
      }
      String holdId = "ha-h" + client + "-" + n;
      return CompletableFuture.completedFuture(
          Ops.reserve(
              context,
              account,
              holdId,
              1,
              status -> {
                if (status == 201 && !stopped) {
                  toCapture[client] = holdId;
                }
              }));
    }

    @Override
    public void stop() {
      stopped = true;
    }
  }
}
