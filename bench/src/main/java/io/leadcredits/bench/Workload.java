package io.leadcredits.bench;

import io.leadcredits.testkit.LedgerSnapshot;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The load of one scenario, shared by its closed-loop clients. */
interface Workload {
  /**
   * Client {@code client}'s next request, once it may be sent (hot-lead clients wait for the next
   * lead to drop); {@link Op#STOP} after {@link #stop()}.
   */
  CompletionStage<Op> next(int client);

  /** No more requests: clients waiting in {@link #next} are released with {@link Op#STOP}. */
  void stop();

  /**
   * What this workload's own knowledge of the run finds wrong in the service's state after it,
   * beyond the checks every run makes (ClientChecks): none unless the scenario knows more.
   */
  default List<String> check(LedgerSnapshot ledger) {
    return List.of();
  }
}
