package io.leadcredits.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.leadcredits.Settings;
import io.leadcredits.service.Configs;
import io.leadcredits.testkit.InFlight;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

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

  /** Enough entities of each floor kind for a stable per-entity figure. */
  private static final int floorEntitiesMax = 100_000;

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
    FloorEntities.init(system);
    try {
      activate(system, "warm-", warmAccounts);
      long before = usedAfterGc();
      long started = System.nanoTime();
      activate(system, "acct-", accounts);
      double seconds = (System.nanoTime() - started) / 1e9;
      long after = usedAfterGc();
      int floorCount = Math.min(accounts, floorEntitiesMax);
      long persistent = floorBytes(system, FloorEntities.PERSISTENT, floorCount);
      long plain = floorBytes(system, FloorEntities.PLAIN, floorCount);
      return Map.ofEntries(
          Map.entry("accounts", accounts),
          Map.entry("heapBytesBefore", before),
          Map.entry("heapBytesAfter", after),
          Map.entry("bytesPerAccount", (after - before) / accounts),
          Map.entry("activationSeconds", Report.round(seconds, 2)),
          Map.entry("floorEntities", floorCount),
          Map.entry("bytesPerBarePersistentEntity", persistent),
          Map.entry("bytesPerBarePlainEntity", plain),
          Map.entry(
              "journal", "pekko.persistence.journal.inmem (its copy of each event is included)"));
    } finally {
      ProbeSystems.stop(system);
    }
  }

  /**
   * Heap per entity of a floor kind (see {@link FloorEntities}), measured the same way as the
   * accounts, after them.
   */
  private static long floorBytes(
      ActorSystem<?> system, EntityTypeKey<FloorEntities.Touch> key, int count)
      throws InterruptedException {
    InFlight.each(
        warmAccounts,
        inFlightMax,
        i ->
            FloorEntities.touch(system, key, "warm-" + i, ProbeSystems.askTimeout)
                .toCompletableFuture());
    long before = usedAfterGc();
    InFlight.each(
        count,
        inFlightMax,
        i ->
            FloorEntities.touch(system, key, "e-" + i, ProbeSystems.askTimeout)
                .toCompletableFuture());
    return (usedAfterGc() - before) / count;
  }

  private static void activate(ActorSystem<?> system, String prefix, int count)
      throws InterruptedException {
    InFlight.each(
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
