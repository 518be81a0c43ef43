package io.leadcredits.bench;

import com.typesafe.config.Config;
import io.leadcredits.Settings;
import io.leadcredits.account.Account;
import io.leadcredits.account.AccountCommand;
import io.leadcredits.account.AccountGate;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.SnapshotWriter;
import io.leadcredits.wakeup.WakeupStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * An actor system for the probes with only the account entity sharded, as the service wires it (the
 * gate in front of the event-sourced account), and no wake-up table: a credit never needs one.
 * Snapshots are Pekko's own, stored before the next command: the recovery probe's writer stops
 * right after its last credit, and its snapshot must be there for the reader.
 */
final class ProbeSystems {
  static final Duration askTimeout = Duration.ofSeconds(30);
  private static final Duration upWaitMax = Duration.ofSeconds(30);

  private ProbeSystems() {}

  static ActorSystem<Void> start(String name, Config config, Settings settings)
      throws InterruptedException {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), name, config);
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    long deadline = System.nanoTime() + upWaitMax.toNanos();
    while (cluster.selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("probe cluster did not come up");
      }
      Thread.sleep(20);
    }
    ClusterSharding.get(system)
        .init(
            Entity.of(
                Account.ENTITY_KEY,
                ctx ->
                    AccountGate.create(
                        ctx.getEntityId(),
                        settings,
                        Clock.systemUTC(),
                        NO_WAKEUPS,
                        SnapshotWriter.INLINE,
                        io.leadcredits.metrics.Metrics.none())));
    return system;
  }

  static CompletionStage<AccountReply> credit(
      ActorSystem<?> system, String accountId, String tx, long amount) {
    return ClusterSharding.get(system)
        .entityRefFor(Account.ENTITY_KEY, accountId)
        .ask(r -> new AccountCommand.Credit(tx, amount, Map.of(), r), askTimeout);
  }

  static CompletionStage<AccountReply> get(ActorSystem<?> system, String accountId) {
    return ClusterSharding.get(system)
        .entityRefFor(Account.ENTITY_KEY, accountId)
        .ask(AccountCommand.Get::new, askTimeout);
  }

  static void stop(ActorSystem<?> system) {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  private static final WakeupStore NO_WAKEUPS =
      new WakeupStore() {
        @Override
        public CompletionStage<Void> schedule(String entityType, String entityId, Instant dueAt) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<List<Wakeup>> due(Instant now, int limit) {
          return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<Void> settle(Wakeup wakeup, Optional<Instant> next) {
          return CompletableFuture.completedFuture(null);
        }
      };
}
