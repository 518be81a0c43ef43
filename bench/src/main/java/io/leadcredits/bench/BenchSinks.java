package io.leadcredits.bench;

import io.leadcredits.testkit.EventFeedReader;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.KafkaBroker;
import io.leadcredits.testkit.KafkaTopic;
import io.leadcredits.testkit.Reply;
import io.leadcredits.testkit.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The event sinks of {@code bench --sinks}: one Kafka broker for the whole benchmark (KRaft, a
 * child JVM: {@link KafkaBroker}), and for each run with sinks a topic of its own and two webhook
 * receivers in this JVM that check every signature, answer 200 at once and keep only which events
 * they got and when. The service is told of both through its settings and registers the receivers
 * for every event type.
 */
final class BenchSinks implements AutoCloseable {
  /** Enough that subjects spread over several partitions, as in a real topic. */
  static final int PARTITIONS = 3;

  /** As many as the goal names (docs/benchmarks.md): two endpoints subscribed to everything. */
  static final int RECEIVERS = 2;

  /** Events missing from a sink named in the report, so a gap can be looked into. */
  static final int MISSING_SHOWN_MAX = 20;

  /** How often the service's lag gauges are read during the measured window. */
  static final Duration LAG_SAMPLE_INTERVAL = Duration.ofMillis(250);

  /**
   * How long after the load the sinks may take to deliver the rest before a run counts as failed.
   */
  private static final Duration drainTimeoutMax = Duration.ofMinutes(5);

  private final KafkaBroker broker;
  private final Path logs;

  private BenchSinks(KafkaBroker broker, Path logs) {
    this.broker = broker;
    this.logs = logs;
  }

  /**
   * Starts the broker, its storage in a temporary directory (a full run's topics take hundreds of
   * megabytes; they are deleted on {@link #close}), its log kept in {@code logs}.
   */
  static BenchSinks start(Path logs) throws IOException {
    // Its admin client says so at every try while the broker starts: not news on the console.
    if (org.slf4j.LoggerFactory.getLogger("org.apache.kafka")
        instanceof ch.qos.logback.classic.Logger kafka) {
      kafka.setLevel(ch.qos.logback.classic.Level.ERROR);
    }
    Path dir = Files.createTempDirectory("leadcredits-bench-kafka");
    return new BenchSinks(KafkaBroker.start(dir), Files.createDirectories(logs));
  }

  /** A topic named after the run and two receivers, for one run with sinks. */
  Attached attach(String run) {
    String topic = "leadcredits.bench." + run;
    broker.createTopic(topic, PARTITIONS);
    return new Attached(topic);
  }

  @Override
  public void close() throws IOException {
    broker.close();
    Path dir = broker.dir();
    Files.copy(
        dir.resolve("broker.log"),
        logs.resolve("kafka-broker.log"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** One run's sinks: its settings, its receivers, its lag samples and what reached them. */
  final class Attached implements AutoCloseable {
    private final String topic;
    private final List<WebhookReceiver> receivers = new ArrayList<>();
    private final List<Double> kafkaLag = new ArrayList<>();
    private final List<Double> webhooksLag = new ArrayList<>();
    private ScheduledExecutorService sampler;

    private Attached(String topic) {
      this.topic = topic;
      for (int i = 0; i < RECEIVERS; i++) {
        receivers.add(WebhookReceiver.counting());
      }
    }

    /** The service's settings that turn both sinks on. */
    Map<String, String> env() {
      return Map.of(
          "LEADCREDITS_KAFKA_BOOTSTRAP_SERVERS",
          broker.bootstrapServers(),
          "LEADCREDITS_KAFKA_TOPIC",
          topic,
          // The receivers are on loopback.
          "LEADCREDITS_WEBHOOKS_ALLOW_PRIVATE",
          "true");
    }

    /** Registers every receiver for every event type, before anything is seeded. */
    void register(HttpApi api) throws IOException, InterruptedException {
      for (WebhookReceiver r : receivers) {
        Reply made =
            api.send("POST", "/api/webhooks", api.admin(), "{\"url\":\"" + r.url() + "\"}");
        if (made.status() != 201) {
          throw new IllegalStateException(
              "registering a webhook answered " + made.status() + ": " + made.raw().body());
        }
        r.verifyWith(made.body().get("secret").asText());
      }
    }

    /** Reads the service's lag gauges every {@link #LAG_SAMPLE_INTERVAL} until {@link #stop}. */
    void startSampling(HttpApi api) {
      sampler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "sink-lag-sampler");
                t.setDaemon(true);
                return t;
              });
      sampler.scheduleAtFixedRate(
          () -> sample(api), 0, LAG_SAMPLE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stopSampling() throws InterruptedException {
      sampler.shutdown();
      sampler.awaitTermination(10, TimeUnit.SECONDS);
    }

    private void sample(HttpApi api) {
      try {
        String text = api.send("GET", "/metrics", null, null).raw().body();
        Double kafka = gauge(text, "kafka");
        Double webhooks = gauge(text, "webhooks");
        synchronized (this) {
          if (kafka != null) {
            kafkaLag.add(kafka);
          }
          if (webhooks != null) {
            webhooksLag.add(webhooks);
          }
        }
      } catch (IOException e) {
        // A sample missed: the next one comes a moment later.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /**
     * Waits until every event of the feed has reached each receiver and the topic (or the drain
     * timeout), then says what reached them: the lags, what is missing, what came twice. {@code
     * loadEnd} is when the load stopped; the delivery lag counts events of {@code [from, to)}.
     */
    synchronized RunResult.Sinks verify(HttpApi api, Instant loadEnd, Instant from, Instant to)
        throws InterruptedException {
      Map<String, String> described = new HashMap<>();
      EventFeedReader.each(
          api::get,
          e ->
              described.put(
                  e.get("id").asText(),
                  e.get("type").asText()
                      + " "
                      + e.get("subject").asText()
                      + " #"
                      + e.get("sequenceNr").asLong()
                      + " at "
                      + e.get("timestamp").asText()
                      + " position "
                      + position(e.get("cursor").asText())));
      Set<String> events = described.keySet();
      try (KafkaTopic records =
          new KafkaTopic(broker.bootstrapServers(), topic, PARTITIONS, false)) {
        long end = System.nanoTime() + drainTimeoutMax.toNanos();
        while (!arrived(events, records) && System.nanoTime() < end) {
          Thread.sleep(100); // polling interval: the loop reads the topic and receivers again
        }
        double drained = Duration.between(loadEnd, Instant.now()).toMillis() / 1000.0;
        long missingKafka = events.stream().filter(id -> !records.ids().contains(id)).count();
        Set<String> missing = new TreeSet<>();
        events.stream()
            .filter(id -> !records.ids().contains(id))
            .forEach(id -> missing.add("kafka: " + described.get(id)));
        long missingWebhooks = 0;
        long webhookCopies = 0;
        List<Double> deliveryLag = new ArrayList<>();
        for (WebhookReceiver r : receivers) {
          Set<String> got = r.ids();
          missingWebhooks += events.stream().filter(id -> !got.contains(id)).count();
          events.stream()
              .filter(id -> !got.contains(id))
              .forEach(id -> missing.add("webhooks: " + described.get(id)));
          // A request refused for its signature is neither a copy nor received.
          webhookCopies += r.requests() - r.badSignatures() - got.size();
          if (r.badSignatures() > 0) {
            missing.add("webhooks: " + r.badSignatures() + " requests with a bad signature");
          }
          for (long[] receipt : r.firstReceipts()) {
            if (receipt[0] >= from.toEpochMilli() && receipt[0] < to.toEpochMilli()) {
              deliveryLag.add((receipt[1] - receipt[0]) / 1000.0);
            }
          }
        }
        return new RunResult.Sinks(
            events.size(),
            RECEIVERS,
            p99(kafkaLag),
            p99(webhooksLag),
            p99(deliveryLag),
            missingKafka,
            missingWebhooks,
            records.count() - records.ids().size(),
            webhookCopies,
            drained,
            missing.stream().limit(MISSING_SHOWN_MAX).toList());
      }
    }

    private boolean arrived(Set<String> events, KafkaTopic records) {
      records.poll();
      if (!records.ids().containsAll(events)) {
        return false;
      }
      for (WebhookReceiver r : receivers) {
        if (!r.ids().containsAll(events)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public void close() throws InterruptedException {
      if (sampler != null) {
        stopSampling();
      }
      receivers.forEach(WebhookReceiver::close);
    }
  }

  /** A feed cursor as the feed wrote it (its opaque form is base64 of it), for a report. */
  static String position(String cursor) {
    try {
      return new String(
          java.util.Base64.getUrlDecoder().decode(cursor),
          java.nio.charset.StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      return cursor;
    }
  }

  /**
   * The value of {@code leadcredits_event_sink_lag_seconds{sink="<sink>"}} in a Prometheus scrape,
   * or null when it is not there.
   */
  static Double gauge(String scrape, String sink) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith("leadcredits_event_sink_lag_seconds{")
          && line.contains("sink=\"" + sink + "\"")) {
        String[] value = line.substring(line.lastIndexOf('}') + 1).strip().split("\\s+");
        try {
          return Double.parseDouble(value[0]);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** The 99th percentile (nearest rank) of {@code values}; NaN when there are none. */
  static double p99(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int rank = (int) Math.ceil(0.99 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
