package io.leadcredits.bench;

import java.util.Optional;

/**
 * A benchmark scenario: it seeds the service through the public API, then hands its clients a
 * {@link Workload}. Each has a fixed seed, so two runs send the same sequence of choices.
 */
interface Scenario {
  String name();

  long seed();

  /** The sizes of this run (they shrink under --quick), for the report. */
  String sizes(boolean quick);

  /** Creates what the load needs (accounts, leads) and records it in the ledger. */
  void prepare(BenchContext context) throws Exception;

  Workload workload(BenchContext context);

  /** The account every client writes to, if the scenario has one: a soak watches its snapshot. */
  default Optional<String> hotAccount() {
    return Optional.empty();
  }

  /**
   * Whether the workload has each client's next request ready at once, as open-loop load ({@code
   * --rate}, {@code --curve}) needs: its sender is one thread keeping a schedule.
   */
  default boolean openLoop() {
    return true;
  }
}
