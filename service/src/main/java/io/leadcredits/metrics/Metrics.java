package io.leadcredits.metrics;

import io.leadcredits.account.AccountMetrics;
import io.leadcredits.account.TransactionStatus;
import io.leadcredits.account.TransactionType;
import io.leadcredits.gauges.EntityGauges;
import io.leadcredits.sink.DeliveryResult;
import io.leadcredits.sink.SinkMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the service counts, served as Prometheus text at {@code /metrics}. Every meter of the hot
 * path is resolved once, here, into arrays indexed by enum ordinal: counting a transaction is an
 * array read and an increment, with no tag lookup and no allocation.
 *
 * <p>Micrometer names meters with dots and the Prometheus registry renders them: a counter {@code
 * credit.transactions} becomes {@code credit_transactions_total}, a timer {@code journal.write}
 * becomes {@code journal_write_seconds} (with {@code _bucket}, {@code _count}, {@code _sum}, {@code
 * _max}). docs/operations.md lists every metric and what it means.
 */
public final class Metrics implements AccountMetrics, SinkMetrics, AutoCloseable {

  /** Latency buckets, from half a millisecond to the 10 s beyond which a request has timed out. */
  private static final Duration[] latencyBuckets = {
    Duration.ofMillis(1).dividedBy(2),
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  /** Commands per journal write: one when idle, up to the account gate's batch limit (500). */
  private static final double[] batchBuckets = {1, 2, 5, 10, 20, 50, 100, 200, 500};

  private static final Metrics none = new Metrics(new CompositeMeterRegistry());

  private final MeterRegistry registry;
  private final Counter[][] transactions;
  private final Timer[] processing;
  private final Counter[] claims;
  private final Timer journalWrite;
  private final DistributionSummary journalBatch;
  private final EntityGauges accounts;
  private final EntityGauges leads;
  private final Counter[] deliveries;
  private final Map<String, EventSinkMeters> sinks = new ConcurrentHashMap<>();
  private JvmGcMetrics gc;

  private Metrics(MeterRegistry registry) {
    this.registry = registry;
    TransactionType[] types = TransactionType.values();
    TransactionStatus[] statuses = TransactionStatus.values();
    transactions = new Counter[types.length][statuses.length];
    processing = new Timer[types.length];
    for (TransactionType t : types) {
      for (TransactionStatus s : statuses) {
        transactions[t.ordinal()][s.ordinal()] =
            Counter.builder("credit.transactions")
                .description("account transactions by type and outcome")
                .tags("type", t.name(), "status", s.name().toLowerCase(Locale.ROOT))
                .register(registry);
      }
      processing[t.ordinal()] =
          latency(
                  Timer.builder("credit.processing.duration")
                      .description("from request in to reply out, per transaction type"))
              .tag("type", t.name())
              .register(registry);
    }
    ClaimResultLabel[] results = ClaimResultLabel.values();
    claims = new Counter[results.length];
    for (ClaimResultLabel r : results) {
      claims[r.ordinal()] =
          Counter.builder("lead.claims")
              .description("claim requests by result; won once per confirmed claim")
              .tag("result", r.label())
              .register(registry);
    }
    journalWrite =
        latency(Timer.builder("journal.write").description("one journal write of an account"))
            .register(registry);
    journalBatch =
        DistributionSummary.builder("journal.batch.size")
            .description("commands answered by one journal write")
            .serviceLevelObjectives(batchBuckets)
            .register(registry);
    accounts = new EntityGauges(registry, "account");
    leads = new EntityGauges(registry, "lead");
    DeliveryResult[] outcomes = DeliveryResult.values();
    deliveries = new Counter[outcomes.length];
    for (DeliveryResult r : outcomes) {
      deliveries[r.ordinal()] =
          Counter.builder("webhook.deliveries")
              .description("webhook delivery attempts by how they ended")
              .tag("result", r.label())
              .register(registry);
    }
  }

  /** The service's metrics, with the JVM's (memory, GC, threads, classes, CPU, uptime). */
  public static Metrics prometheus() {
    Metrics m = new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    new ClassLoaderMetrics().bindTo(m.registry);
    new JvmMemoryMetrics().bindTo(m.registry);
    new JvmThreadMetrics().bindTo(m.registry);
    new ProcessorMetrics().bindTo(m.registry);
    new UptimeMetrics().bindTo(m.registry);
    m.gc = new JvmGcMetrics();
    m.gc.bindTo(m.registry);
    return m;
  }

  /** Metrics that count nothing, for entities and routes tested on their own. */
  public static Metrics none() {
    return none;
  }

  private static Timer.Builder latency(Timer.Builder builder) {
    return builder.serviceLevelObjectives(latencyBuckets);
  }

  @Override
  public void transaction(TransactionType type, TransactionStatus status) {
    transactions[type.ordinal()][status.ordinal()].increment();
  }

  public void processed(TransactionType type, long nanos) {
    processing[type.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
  }

  public void claim(ClaimResultLabel result) {
    claims[result.ordinal()].increment();
  }

  @Override
  public void journalWrite(long nanos, int commands) {
    journalWrite.record(nanos, TimeUnit.NANOSECONDS);
    journalBatch.record(commands);
  }

  @Override
  public EntityGauges accounts() {
    return accounts;
  }

  public EntityGauges leads() {
    return leads;
  }

  /** The meters of the event feed's sink {@code sink}, registered on first use. */
  public EventSinkMeters eventSink(String sink) {
    return sinks.computeIfAbsent(sink, s -> new EventSinkMeters(registry, s));
  }

  @Override
  public void published(String sink, int events) {
    eventSink(sink).published(events);
  }

  @Override
  public void sinkLag(String sink, Duration lag) {
    if (lag.isZero()) {
      eventSink(sink).caughtUp();
    } else {
      eventSink(sink).pendingSince(Instant.now().minus(lag));
    }
  }

  @Override
  public void delivery(DeliveryResult result) {
    deliveries[result.ordinal()].increment();
  }

  /** The timer of HTTP requests answered with {@code status} on {@code route}. */
  public Timer httpRequests(String method, String route, int status) {
    return latency(Timer.builder("http.server.requests").description("HTTP requests answered"))
        .tags("method", method, "route", route, "status", Integer.toString(status))
        .register(registry);
  }

  /** Everything, in the Prometheus text format (empty when nothing is kept). */
  public String scrape() {
    return registry instanceof PrometheusMeterRegistry p ? p.scrape() : "";
  }

  @Override
  public void close() {
    if (gc != null) {
      gc.close();
    }
    registry.close();
  }
}
