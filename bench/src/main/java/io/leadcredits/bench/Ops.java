package io.leadcredits.bench;

import io.leadcredits.testkit.OperationLog.Operation;
import io.leadcredits.testkit.OperationLog.Outcome;
import io.leadcredits.testkit.Request;
import java.util.function.IntConsumer;

/**
 * The API calls of the workloads, each an {@link Op} that records what its client was told in the
 * run's log: acknowledged, or unknown (to be re-sent after the run). A refusal changed nothing and
 * the checks cover what was acknowledged, so it is not kept: the generator's heap grows with its
 * acknowledgements only. Holds are taken and captured with the admin's token.
 */
final class Ops {
  private Ops() {}

  static Op credit(BenchContext c, String accountId, String transactionId, long amount) {
    return tracked(c, Operation.credit(accountId, transactionId, amount), null);
  }

  static Op debit(BenchContext c, String accountId, String transactionId, long amount) {
    return tracked(c, Operation.debit(accountId, transactionId, amount), null);
  }

  /**
   * A hold for the service's default time; {@code then} is told the status, so a client can follow
   * an accepted hold with its capture.
   */
  static Op reserve(
      BenchContext c, String accountId, String holdId, long amount, IntConsumer then) {
    return tracked(c, Operation.reserve(accountId, holdId, amount, 0).byAdmin(), then);
  }

  static Op capture(BenchContext c, String accountId, String holdId) {
    return tracked(c, Operation.capture(accountId, holdId).byAdmin(), null);
  }

  /** A tradie claims a lead with their own token. */
  static Op claim(BenchContext c, String leadId, String tradieId, IntConsumer then) {
    return tracked(c, Operation.claim(leadId, tradieId), then);
  }

  /**
   * A tradie reads their own balance, which nothing changes during the run: each 200's body must be
   * that account with {@code balance} credits ({@link ReadChecks}).
   */
  static Op balance(BenchContext c, String tradieId, long balance) {
    Request request = Request.get("/api/credits/balance", c.tokens().tradie(tradieId));
    return new Op(
        request,
        request.wire(),
        s -> {},
        (status, body) -> c.reads().balance(tradieId, balance, status, body));
  }

  private static Op tracked(BenchContext c, Operation operation, IntConsumer then) {
    Request request = operation.request(c.tokens());
    return new Op(
        request,
        request.wire(),
        status -> {
          if (Outcome.of(status) != Outcome.FAILED) {
            c.log().record(operation, status, null);
          }
          if (then != null) {
            then.accept(status);
          }
        });
  }
}
