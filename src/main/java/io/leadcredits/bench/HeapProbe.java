package io.leadcredits.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.leadcredits.Settings;
import io.leadcredits.cli.Configs;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Heap bytes per resident idle account: activate N accounts (each created by one credit) in a
 * sharded actor system on Pekko's in-memory journal, with passivation off so they all stay, and
 * divide the growth of the heap after a full GC by N. The in-memory journal keeps each account's
 * one event in the heap too, so the figure is an upper bound on the entity's own memory.
 */
final class HeapProbe {
  /** Accounts activated before measuring: loads classes and starts every shard. */
  private static final int warmAccounts = 2_000;

  private static final int inFlightMax = 1_000;

  private HeapProbe() {}

  static Map<String, Object> run(int accounts) throws Exception {
    Config config =
        ConfigFactory.parseString(
                "pekko.persistence.journal.plugin = \"pekko.persistence.journal.inmem\"\n"
                    + "pekko.persistence.snapshot-store.plugin ="
                    + " \"pekko.persistence.no-snapshot-store\"\n"
                    + "pekko.cluster.sharding.passivation.strategy = none\n"
                    + "pekko.loglevel = WARNING\n")
            .withFallback(Configs.load(Map.of()));
    // Snapshots off: the probe measures resident entities, not snapshot traffic.
    Settings settings =
        Settings.fromConfig(
            Configs.load(Map.of("leadcredits.snapshot-every-events", 1_000_000_000)));
    ActorSystem<Void> system = ProbeSystems.start("heap-probe", config, settings);
    try {
      activate(system, "warm-", warmAccounts);
      long before = usedAfterGc();
      long started = System.nanoTime();
      activate(system, "acct-", accounts);
      double seconds = (System.nanoTime() - started) / 1e9;
      long after = usedAfterGc();
      return Map.of(
          "accounts",
          accounts,
          "heapBytesBefore",
          before,
          "heapBytesAfter",
          after,
          "bytesPerAccount",
          (after - before) / accounts,
          "activationSeconds",
          Report.round(seconds, 2),
          "journal",
          "pekko.persistence.journal.inmem (its copy of each event is included)");
    } finally {
      ProbeSystems.stop(system);
    }
  }

  private static void activate(ActorSystem<?> system, String prefix, int count)
      throws InterruptedException {
    Calls.each(
        count,
        inFlightMax,
        i -> ProbeSystems.credit(system, prefix + i, "t-" + i, 1).toCompletableFuture());
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
