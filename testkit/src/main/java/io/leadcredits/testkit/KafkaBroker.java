package io.leadcredits.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker, the Apache Kafka server from Maven Central, in KRaft mode (broker and
 * controller in one process, a quorum of one) in a child JVM: storage formatted as {@code
 * kafka-storage format} does, then {@code kafka.Kafka server.properties}. It can be SIGKILLed and
 * started again on the same ports and log directory, as a broker that crashed and came back. The
 * tests and the benchmark ({@code bench --sinks}) use it; the broker's classes ({@code
 * org.apache.kafka:kafka_2.13}) must be on the caller's class path, which the child is started on.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Duration formatTimeoutMax = Duration.ofSeconds(90);
  private static final Duration startTimeoutMax = Duration.ofSeconds(120);
  private static final Duration stopWaitMax = Duration.ofSeconds(30);

  /** Small and quick to start: the broker holds a few thousand records at most. */
  private static final List<String> JVM_OPTIONS =
      List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final Path dir;
  private final Path config;
  private final Path log;
  private final int port;
  private Process process;

  private KafkaBroker(Path dir, int port, Path config, Path log) {
    this.dir = dir;
    this.port = port;
    this.config = config;
    this.log = log;
  }

  /** Formats a new broker's storage under {@code dir} and starts it; returns once it answers. */
  public static KafkaBroker start(Path dir) {
    // Below the ephemeral range, so a restart finds them free again (ServiceProcess.freePort).
    int port = ServiceProcess.freePort();
    int controllerPort = ServiceProcess.freePort();
    Path config = dir.resolve("server.properties");
    Path log = dir.resolve("broker.log");
    write(config, serverProperties(dir.resolve("logs"), port, controllerPort));
    KafkaBroker broker = new KafkaBroker(dir, port, config, log);
    broker.format();
    broker.start();
    return broker;
  }

  private static String serverProperties(Path logDirs, int port, int controllerPort) {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + logDirs,
        // One broker: every internal topic has one replica.
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // The tests create their topics; none appears by mistake.
        "auto.create.topics.enable=false",
        "num.network.threads=2",
        "num.io.threads=2",
        "");
  }

  private void format() {
    List<String> args =
        List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString());
    Process formatting = launch("kafka.tools.StorageTool", args);
    try {
      if (!formatting.waitFor(formatTimeoutMax.toSeconds(), TimeUnit.SECONDS)) {
        formatting.destroyForcibly();
        throw new IllegalStateException("formatting the broker's storage timed out; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted formatting the broker's storage", e);
    }
    if (formatting.exitValue() != 0) {
      throw new IllegalStateException("formatting the broker's storage failed; see " + log);
    }
  }

  /** Starts the broker (again) and returns once it answers a client. */
  public void start() {
    process = launch("kafka.Kafka", List.of(config.toString()));
    long end = System.nanoTime() + startTimeoutMax.toNanos();
    try (Admin admin = admin()) {
      while (!answers(admin)) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the Kafka broker exited; see " + log);
        }
        if (System.nanoTime() > end) {
          throw new IllegalStateException(
              "the Kafka broker did not answer within " + startTimeoutMax + "; see " + log);
        }
        Thread.sleep(100); // polling interval: the loop asks the broker again
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted starting the Kafka broker", e);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the Kafka broker did not start: " + e.getMessage(), e);
    }
  }

  private static boolean answers(Admin admin) {
    try {
      return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false; // not up yet
    }
  }

  /** SIGKILL, as a crash: nothing flushed, nothing said goodbye. */
  public void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** A topic of {@code partitions} partitions, one replica. */
  public void createTopic(String topic, int partitions) {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + topic, e);
    }
  }

  public Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    return Admin.create(p);
  }

  public Path dir() {
    return dir;
  }

  private Process launch(String mainClass, List<String> args) {
    // On the caller's class path: the tests' (Surefire's), or the benchmark jar's lib/.
    ProcessBuilder pb =
        new ProcessBuilder(ServiceProcess.javaCommand(JVM_OPTIONS, mainClass, args));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("LEADCREDITS_") || k.startsWith("KAFKA_"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass, e);
    }
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(stopWaitMax.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(stopWaitMax.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, then SIGKILL if it takes too long. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      awaitExit();
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
