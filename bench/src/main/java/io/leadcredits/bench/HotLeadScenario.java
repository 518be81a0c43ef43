package io.leadcredits.bench;

/**
 * {@code hot-lead}: leads with maxClaims 3 drop one after another; every client is a distinct
 * funded tradie, and all of them rush each lead at once. The next lead drops when every claim on
 * the current one was answered, so each lead sees exactly N simultaneous claims: 3 win, the rest
 * are refused (409 LEAD_FULL), ideally from the lead's memory.
 */
final class HotLeadScenario implements Scenario {
  static final int maxClaims = 3;

  /** Covers a tradie winning every lead of a long run at the highest cost. */
  static final long tradieFunding = 1_000_000;

  @Override
  public String name() {
    return "hot-lead";
  }

  @Override
  public long seed() {
    return 0x5EED_0001L;
  }

  @Override
  public String sizes(boolean quick) {
    return "one tradie per client, each funded "
        + tradieFunding
        + "; leads of maxClaims "
        + maxClaims
        + " and cost 1..20 created one by one (each created while the previous is rushed;"
        + " lead creation is not counted)";
  }

  static String tradie(int client) {
    return "hl-t" + client;
  }

  @Override
  public void prepare(BenchContext c) throws InterruptedException {
    Seeding.fund(c, c.clients(), HotLeadScenario::tradie, tradieFunding);
  }

  @Override
  public Workload workload(BenchContext c) {
    return new HotLeadWorkload(c, seed());
  }

  /**
   * A rush is closed-loop by nature: the next lead drops when every claim on this one was answered,
   * so a claim cannot be due at a time of its own.
   */
  @Override
  public boolean openLoop() {
    return false;
  }
}
