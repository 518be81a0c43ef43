package io.leadcredits.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.leadcredits.Settings;
import io.leadcredits.account.AccountReply;
import io.leadcredits.persistence.Database;
import io.leadcredits.service.Configs;
import io.leadcredits.testkit.InFlight;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Entity recovery time on the real PostgreSQL journal: an account gets {@code events} credits, the
 * actor system stops, a fresh one starts, and the probe times its first command to that account,
 * from send to reply. Once with the service's snapshot setting, once with snapshots off. The shard
 * is started first by a command to another account of the same shard, so the time is the entity's
 * recovery, not shard allocation.
 */
final class RecoveryProbe {
  private static final int inFlightMax = 500;
  private static final int shards = 100; // cluster.conf number-of-shards

  private RecoveryProbe() {}

  static Map<String, Object> run(String dbUrl, String user, String password, int events)
      throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("events", events);
    Settings defaults = Settings.fromConfig(Configs.load(Map.of()));
    out.put(
        "withSnapshotsMs",
        measure(dbUrl, user, password, events, "snap", defaults.snapshotEveryEvents()));
    out.put("withoutSnapshotsMs", measure(dbUrl, user, password, events, "nosnap", 1_000_000_000));
    out.put("snapshotEveryEvents", defaults.snapshotEveryEvents());
    out.put("measuredAs", "first command after a fresh actor system in a warm JVM, shard started");
    return out;
  }

  private static double measure(
      String dbUrl, String user, String password, int events, String account, int snapshotEvery)
      throws Exception {
    Config flags =
        Configs.load(
            Map.of(
                "leadcredits.db.url", dbUrl,
                "leadcredits.db.user", user,
                "leadcredits.db.password", password,
                "leadcredits.snapshot-every-events", snapshotEvery));
    Settings settings = Settings.fromConfig(flags);
    try (Database database = Database.start(settings)) {
      Config config =
          ConfigFactory.parseString("pekko.loglevel = WARNING")
              .withFallback(database.pekkoOverrides())
              .withFallback(flags);
      ActorSystem<Void> writer = ProbeSystems.start("recovery-write", config, settings);
      try {
        InFlight.each(
            events,
            inFlightMax,
            i -> ProbeSystems.credit(writer, account, "r-" + i, 1).toCompletableFuture());
      } finally {
        ProbeSystems.stop(writer);
      }
      ActorSystem<Void> reader = ProbeSystems.start("recovery-read", config, settings);
      try {
        ProbeSystems.get(reader, sameShard(account))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
        long start = System.nanoTime();
        AccountReply reply =
            ProbeSystems.get(reader, account).toCompletableFuture().get(60, TimeUnit.SECONDS);
        double ms = (System.nanoTime() - start) / 1e6;
        if (!(reply instanceof AccountReply.Accepted)) {
          throw new IllegalStateException("recovered account answered " + reply);
        }
        return Report.round(ms, 1);
      } finally {
        ProbeSystems.stop(reader);
      }
    }
  }

  /** Another account id that Pekko's default extractor puts in the same shard. */
  private static String sameShard(String accountId) {
    int shard = Math.abs(accountId.hashCode() % shards);
    for (int i = 0; ; i++) {
      String candidate = "warm-" + i;
      if (Math.abs(candidate.hashCode() % shards) == shard) {
        return candidate;
      }
    }
  }
}
