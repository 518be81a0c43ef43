package io.leadcredits.service;

import com.typesafe.config.Config;
import io.leadcredits.ClusterSettings;
import io.leadcredits.EngineKind;
import io.leadcredits.Settings;
import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.JwtSecret;
import io.leadcredits.auth.ProviderTokens;
import io.leadcredits.cluster.Fencing;
import io.leadcredits.cluster.SeedJoin;
import io.leadcredits.engine.ActorEngine;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.engine.Readiness;
import io.leadcredits.feed.JdbcSinkOffsets;
import io.leadcredits.feed.SinkLock;
import io.leadcredits.http.HttpServer;
import io.leadcredits.kafka.KafkaSink;
import io.leadcredits.metrics.Metrics;
import io.leadcredits.persistence.CreditReportProjection;
import io.leadcredits.persistence.Database;
import io.leadcredits.persistence.JdbcCreditReports;
import io.leadcredits.persistence.JdbcSnapshotWriter;
import io.leadcredits.persistence.JdbcTransactionLookup;
import io.leadcredits.persistence.JdbcWakeupStore;
import io.leadcredits.persistence.JdbcWebhookStore;
import io.leadcredits.persistence.JournalFeed;
import io.leadcredits.persistence.JournalLeadDirectory;
import io.leadcredits.persistence.JournalRefundDirectory;
import io.leadcredits.persistence.WriterLock;
import io.leadcredits.report.CreditReports;
import io.leadcredits.webhook.Webhooks;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * The running service: database, actor system (a cluster of one unless configured otherwise),
 * sharded entities, wake-up sweeper and HTTP. Only wires; each part has its own {@code init}/{@code
 * start}, so tests start exactly what production starts.
 */
public final class Service implements AutoCloseable {

  /** How long start-up may take before it is reported as failed. */
  private static final Duration startTimeoutMax = Duration.ofSeconds(60);

  private final Settings settings;
  private final Database database;
  private final JdbcWakeupStore wakeups;
  private final ActorSystem<Void> system;
  private final CreditEngine credits;
  private final Jwt jwt;
  private final ServerBinding binding;

  private Service(
      Settings settings,
      Database database,
      JdbcWakeupStore wakeups,
      ActorSystem<Void> system,
      CreditEngine credits,
      Jwt jwt,
      ServerBinding binding) {
    this.settings = settings;
    this.database = database;
    this.wakeups = wakeups;
    this.system = system;
    this.credits = credits;
    this.jwt = jwt;
    this.binding = binding;
  }

  public static Service start(Config config) {
    Settings settings = Settings.fromConfig(config);
    Database database = Database.start(settings);
    boolean clustered = settings.cluster().clustered();
    WriterLock writers;
    try {
      writers =
          WriterLock.acquire(database.jdbcUrl(), database.user(), database.password(), clustered);
    } catch (RuntimeException e) {
      database.close();
      throw new IllegalStateException("leadcredits failed to start: " + e.getMessage(), e);
    }
    JdbcWakeupStore wakeups = new JdbcWakeupStore(database.dataSource());
    JdbcSnapshotWriter snapshots = new JdbcSnapshotWriter(database.dataSource());
    Metrics metrics = Metrics.prometheus();
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            ClusterSettings.SYSTEM_NAME,
            database.pekkoOverrides().withFallback(config));
    JdbcTransactionLookup lookup =
        new JdbcTransactionLookup(
            database.dataSource(), SerializationExtension.get(Adapter.toClassic(system)));
    JournalFeed feed =
        new JournalFeed(
            database.dataSource(), SerializationExtension.get(Adapter.toClassic(system)));
    // The sinks of the feed start with the engine; they stop first, before the feed and the stores
    // they use close.
    AtomicReference<Webhooks> sinks = new AtomicReference<>();
    AtomicReference<KafkaSink> kafka = new AtomicReference<>();
    AtomicReference<CreditReportProjection> report = new AtomicReference<>();
    AtomicReference<ProviderTokens> provider = new AtomicReference<>();
    // Whichever way the service ends, these close last, the database after everything using it.
    Runnable stores =
        () -> {
          ProviderTokens tokens = provider.getAndSet(null);
          if (tokens != null) {
            tokens.close();
          }
          CreditReportProjection projection = report.getAndSet(null);
          if (projection != null) {
            projection.close();
          }
          KafkaSink sink = kafka.getAndSet(null);
          if (sink != null) {
            sink.close();
          }
          Webhooks webhooks = sinks.getAndSet(null);
          if (webhooks != null) {
            webhooks.close();
          }
          wakeups.close();
          lookup.close();
          feed.close();
          snapshots.close();
          writers.close();
          database.close();
          metrics.close();
        };
    // A node that lost the lock to another one stops rather than write next to it.
    writers.onLost(
        () -> CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason()));
    try {
      Cluster cluster = Cluster.get(system);
      // Started now, not at the first journal write, so that a pause at any time is noticed.
      Fencing fencing = Fencing.get(Adapter.toClassic(system));
      // The readiness probe blocks on JDBC: it runs on Pekko's dispatcher for blocking work.
      Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
      join(system, cluster, settings.cluster(), writers, blocking);
      Clock clock = Clock.systemUTC();
      if (settings.identityProvider().enabled()) {
        provider.set(ProviderTokens.start(settings.identityProvider(), clock));
      }
      Jwt jwt = new Jwt(JwtSecret.load(settings), clock, provider.get());
      Supplier<CompletionStage<Readiness>> ready =
          () -> readiness(database, cluster, fencing, jwt, blocking);
      if (settings.engine() == EngineKind.ACTORS) {
        sinks.set(
            Webhooks.start(
                feed,
                new JdbcWebhookStore(database.dataSource()),
                settings.webhooks(),
                metrics,
                blocking,
                clock,
                new JdbcSinkOffsets(database.dataSource()),
                // Its own connection for the lock and the handover, as the Kafka sink's.
                () ->
                    SinkLock.tryAcquire(
                        database.jdbcUrl(), database.user(), database.password(), Webhooks.SINK)));
      }
      CreditEngine credits =
          settings.engine() == EngineKind.ACTORS
              ? ActorEngine.init(
                  system,
                  settings,
                  clock,
                  wakeups,
                  lookup,
                  snapshots,
                  metrics,
                  ready,
                  new JournalLeadDirectory(database.dataSource(), blocking),
                  feed,
                  sinks.get(),
                  new CreditReports(new JdbcCreditReports(database.dataSource()), feed, blocking),
                  new JournalRefundDirectory(
                      database.dataSource(),
                      SerializationExtension.get(Adapter.toClassic(system)),
                      blocking))
              : otherEngine(settings, database, clock, metrics);
      ServerBinding binding =
          HttpServer.start(
                  system,
                  credits,
                  jwt,
                  metrics,
                  settings.httpHost(),
                  settings.httpPort(),
                  settings.httpMaxInFlight())
              .toCompletableFuture()
              .get(startTimeoutMax.toSeconds(), TimeUnit.SECONDS);
      // On shutdown stop taking connections, then give requests in flight a moment to finish.
      binding.addToCoordinatedShutdown(Duration.ofSeconds(5), system);
      system
          .log()
          .info(
              "leadcredits ({} engine) listening on {}",
              settings.engine().label(),
              binding.localAddress());
      // The database goes last: after the cluster has handed over and the journal is flushed, and
      // whichever way the shutdown began (SIGTERM, close(), a downed node).
      CoordinatedShutdown.get(system)
          .addTask(
              CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
              "close-database",
              () ->
                  CompletableFuture.supplyAsync(
                      () -> {
                        closeEngine(credits);
                        stores.run();
                        return Done.getInstance();
                      }));
      if (settings.kafka().enabled()) {
        kafka.set(kafkaSink(settings, database, feed, metrics));
      }
      if (settings.engine() == EngineKind.ACTORS) {
        report.set(creditReport(database, feed, metrics));
      }
      return new Service(settings, database, wakeups, system, credits, jwt, binding);
    } catch (Exception e) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
      stores.run();
      throw new IllegalStateException("leadcredits failed to start: " + e.getMessage(), e);
    }
  }

  /**
   * A cluster of one joins itself; seed nodes are joined by {@link SeedJoin}, which lets the first
   * seed form a cluster only while no member of a running one holds the member lock on the journal
   * database; with bootstrap, Pekko Management serves this node's contact point (bound before
   * bootstrap asks the others, so that a port already taken stops the start) and bootstrap finds
   * the others and joins or forms the cluster.
   */
  private static void join(
      ActorSystem<Void> system,
      Cluster cluster,
      ClusterSettings settings,
      WriterLock writers,
      Executor blocking)
      throws Exception {
    if (settings.bootstrap().enabled()) {
      PekkoManagement.get(system)
          .start()
          .toCompletableFuture()
          .get(startTimeoutMax.toSeconds(), TimeUnit.SECONDS);
      ClusterBootstrap.get(system).start();
    } else if (!settings.clustered()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    } else {
      SeedJoin.start(system, settings.seedAddresses(), writers, blocking);
    }
  }

  /**
   * The Kafka sink, on the node that holds its lock: its own connection for the lock and the
   * cursor, so the pool's connections stay free for requests.
   */
  private static KafkaSink kafkaSink(
      Settings settings, Database database, JournalFeed feed, Metrics metrics) {
    return KafkaSink.start(
        settings.kafka(),
        feed,
        new JdbcSinkOffsets(database.dataSource()),
        () ->
            SinkLock.tryAcquire(
                database.jdbcUrl(), database.user(), database.password(), KafkaSink.SINK),
        metrics.eventSink(KafkaSink.SINK));
  }

  /**
   * The liability report's projection, on the node that holds its lock (one per cluster, as the
   * Kafka sink): its own connection for the lock, the rows and the cursor.
   */
  private static CreditReportProjection creditReport(
      Database database, JournalFeed feed, Metrics metrics) {
    return CreditReportProjection.start(
        feed,
        new JdbcSinkOffsets(database.dataSource()),
        () ->
            SinkLock.tryAcquire(
                database.jdbcUrl(), database.user(), database.password(), JdbcCreditReports.SINK),
        metrics);
  }

  /** The baselines own a connection pool; the actor engine owns nothing to close. */
  private static void closeEngine(CreditEngine credits) {
    if (credits instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Shutting down: the database closes right after, which ends its connections anyway.
      }
    }
  }

  /**
   * Ready when the journal database answers and this node is an Up cluster member that has not
   * fenced itself after a pause, and the identity provider's keys (if one is configured) were
   * fetched.
   */
  private static CompletionStage<Readiness> readiness(
      Database database, Cluster cluster, Fencing fencing, Jwt jwt, Executor blocking) {
    return CompletableFuture.supplyAsync(
        () -> {
          if (!jwt.ready()) {
            return Readiness.down("the identity provider's JWK set has not been fetched yet");
          }
          if (fencing.fenced()) {
            return Readiness.down("paused long enough to have been replaced; shutting down");
          }
          if (cluster.selfMember().status() != MemberStatus.up()) {
            return Readiness.down("cluster member is " + cluster.selfMember().status());
          }
          try (Connection c = database.dataSource().getConnection()) {
            return c.isValid(2)
                ? Readiness.up()
                : Readiness.down("journal database does not answer");
          } catch (Exception e) {
            return Readiness.down("journal database unreachable: " + e.getMessage());
          }
        },
        blocking);
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  public Settings settings() {
    return settings;
  }

  public CreditEngine credits() {
    return credits;
  }

  public Jwt jwt() {
    return jwt;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /**
   * Waits until the service has stopped. Throws when it stopped without being asked to (SIGTERM or
   * {@link #close}): the cluster downed this node, or it could not join, so {@code serve} exits
   * with a failure and a supervisor starts a fresh node.
   */
  public void awaitTermination() {
    system.getWhenTerminated().toCompletableFuture().join();
    CoordinatedShutdown.Reason reason =
        CoordinatedShutdown.get(system)
            .getShutdownReason()
            .orElse(CoordinatedShutdown.unknownReason());
    if (reason != CoordinatedShutdown.jvmExitReason()
        && reason != CoordinatedShutdown.unknownReason()) {
      throw new IllegalStateException(
          "this node left the cluster without being stopped: " + reason);
    }
  }

  /** Stops the service as SIGTERM does: unbind, leave the cluster, close the database. */
  @Override
  public void close() {
    CoordinatedShutdown.get(system)
        .runAll(CoordinatedShutdown.unknownReason())
        .toCompletableFuture()
        .join();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  /**
   * An engine other than the actors, from the providers on the class path (the benchmark's
   * baselines); the service itself carries none.
   */
  private static CreditEngine otherEngine(
      Settings settings, Database database, Clock clock, Metrics metrics) {
    for (EngineProvider provider : ServiceLoader.load(EngineProvider.class)) {
      if (provider.kinds().contains(settings.engine())) {
        return provider.create(settings.engine(), database, settings, clock, metrics);
      }
    }
    throw new IllegalStateException(
        "the "
            + settings.engine().label()
            + " engine is the benchmark's: run it with the benchmark on the class path"
            + " (./leadcredits does)");
  }
}
