package io.leadcredits.bench;

import io.leadcredits.EngineKind;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service under test, as a child JVM started from this jar's classpath with {@code serve
 * --engine E}: its own heap, its own JIT and GC, and CPU time the benchmark can read apart from its
 * own. Stopped with SIGTERM, as an orchestrator would.
 */
final class ServiceProcess implements AutoCloseable {
  /**
   * The service's JVM: a fixed heap, so runs do not differ by heap growth. 2 GiB because the actor
   * engine keeps the uniform and balance-read runs' 100,000 accounts resident: in 1 GiB that is
   * half the heap, and G1's concurrent marking and card refinement took about a third of the
   * service's CPU (async-profiler, balance-read, 2026-12-05). The HTTP request timeout is raised
   * only so that {@code GET /api/audit} can read a large journal after the run; entity requests
   * still answer 503 after the service's 5 s ask timeout.
   */
  static final List<String> jvmFlags =
      List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC", "-Dpekko.http.server.request-timeout=300s");

  private static final Duration readyWaitMax = Duration.ofSeconds(120);
  private static final Duration stopWaitMax = Duration.ofSeconds(30);

  private final Process process;
  private final int port;
  private final Path log;
  private final Path dataDir;

  private ServiceProcess(Process process, int port, Path log, Path dataDir) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.dataDir = dataDir;
  }

  /**
   * Nodes of the actor engine forming one cluster on the database, one per log file, each started
   * once the one before is ready (the first forms the cluster).
   */
  static List<ServiceProcess> startCluster(
      List<String> jvm,
      String dbUrl,
      String user,
      String password,
      String jwtSecret,
      List<Path> logs)
      throws IOException, InterruptedException {
    int count = logs.size();
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clusterPorts.add(freePort());
    }
    String seeds = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    List<ServiceProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        List<String> flags =
            List.of(
                "--cluster-host",
                "127.0.0.1",
                "--cluster-port",
                Integer.toString(clusterPorts.get(i)),
                "--seed-nodes",
                seeds);
        nodes.add(
            start(jvm, EngineKind.ACTORS, dbUrl, user, password, jwtSecret, logs.get(i), flags));
      }
    } catch (IOException | RuntimeException | InterruptedException e) {
      for (ServiceProcess node : nodes) {
        node.closeQuietly();
      }
      throw e;
    }
    return nodes;
  }

  /**
   * Starts the service with these JVM flags ({@link BenchOptions#serviceJvmFlags()}) and {@code
   * serve} flags after the engine, host and port, and waits until {@code /health/ready} says so.
   */
  static ServiceProcess start(
      List<String> jvm,
      EngineKind engine,
      String dbUrl,
      String user,
      String password,
      String jwtSecret,
      Path log,
      List<String> serveFlags)
      throws IOException, InterruptedException {
    int port = freePort();
    Path dataDir = Files.createTempDirectory("leadcredits-bench-data");
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(jvm);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.addAll(
        List.of(
            "io.leadcredits.cli.Main",
            "serve",
            "--engine",
            engine.label(),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port)));
    command.addAll(serveFlags);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("LEADCREDITS_DB_URL", dbUrl);
    env.put("LEADCREDITS_DB_USER", user);
    env.put("LEADCREDITS_DB_PASSWORD", password);
    env.put("LEADCREDITS_JWT_SECRET", jwtSecret);
    env.put("LEADCREDITS_DATA_DIR", dataDir.toString());
    // Logging every request would cost the service CPU the benchmark means to measure.
    env.put("LEADCREDITS_LOG_LEVEL", "WARN");
    ServiceProcess service = new ServiceProcess(builder.start(), port, log, dataDir);
    try {
      service.awaitReady();
    } catch (IOException | RuntimeException | InterruptedException e) {
      service.closeQuietly();
      throw e;
    }
    return service;
  }

  int port() {
    return port;
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + readyWaitMax.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the service exited at start: " + tail());
      }
      try {
        if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the service was not ready within " + readyWaitMax);
  }

  /** The last lines of the service's log, on one line, to say why it failed. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy(); // SIGTERM: the service shuts down gracefully
    try {
      if (!process.waitFor(stopWaitMax.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(dataDir.resolve("jwt-secret"));
    Files.deleteIfExists(dataDir);
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException e) {
      process.destroyForcibly();
    }
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
