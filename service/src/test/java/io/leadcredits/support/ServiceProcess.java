package io.leadcredits.support;

import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.JwtSecret;
import io.leadcredits.cli.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code leadcredits serve} in a child JVM on the test's classpath, with its embedded PostgreSQL in
 * a data directory of the test's: a real process that a test can SIGKILL and start again on the
 * same data. Its output is appended to a log file, whose tail is shown when it fails to start.
 */
public final class ServiceProcess implements AutoCloseable {
  /**
   * A cold start replays PostgreSQL's WAL after a kill, then starts Pekko: seconds, not minutes.
   */
  private static final Duration startTimeoutMax = Duration.ofSeconds(90);

  private static final Duration exitWaitMax = Duration.ofSeconds(30);

  /** Exit status of a process ended by signal 9, as the JDK reports it on Linux: 128 + 9. */
  public static final int SIGKILL_EXIT_STATUS = 137;

  /** Exit status of a JVM that ran its shutdown hooks on SIGTERM: 128 + 15. */
  public static final int SIGTERM_EXIT_STATUS = 143;

  /** Heap of a service JVM: ample for a test's few thousand entities, small enough for three. */
  private static final String HEAP = "-Xmx512m";

  private final Process process;
  private final HttpApi api;
  private final Path dataDir;
  private final Path log;

  private ServiceProcess(Process process, HttpApi api, Path dataDir, Path log) {
    this.process = process;
    this.api = api;
    this.dataDir = dataDir;
    this.log = log;
  }

  /**
   * How to start one {@code serve}: extra flags of {@code serve}, extra environment (on top of the
   * data dir, secret and log level) and extra JVM options such as {@code -Dpekko...} overrides.
   */
  public record Launch(
      Path dataDir,
      String jwtSecret,
      Path log,
      String host,
      int httpPort,
      List<String> serveFlags,
      Map<String, String> env,
      List<String> jvmOptions,
      List<String> commandPrefix) {

    public Launch {
      serveFlags = List.copyOf(serveFlags);
      env = Map.copyOf(env);
      jvmOptions = List.copyOf(jvmOptions);
      commandPrefix = List.copyOf(commandPrefix);
    }

    /** On loopback, started directly. */
    public Launch(
        Path dataDir,
        String jwtSecret,
        Path log,
        int httpPort,
        List<String> serveFlags,
        Map<String, String> env,
        List<String> jvmOptions) {
      this(dataDir, jwtSecret, log, "127.0.0.1", httpPort, serveFlags, env, jvmOptions, List.of());
    }

    /** A single service on its embedded PostgreSQL, on a free HTTP port. */
    public static Launch single(Path dataDir, String jwtSecret, Path log) {
      return new Launch(dataDir, jwtSecret, log, freePort(), List.of(), Map.of(), List.of());
    }
  }

  /** Starts the service and returns once {@code /health/ready} answers 200. */
  public static ServiceProcess start(Path dataDir, String jwtSecret, Path log) {
    ServiceProcess service = launch(Launch.single(dataDir, jwtSecret, log));
    service.awaitReady();
    return service;
  }

  /**
   * Starts the service with settings of the test's ({@code LEADCREDITS_*} variables, e.g. an
   * external database) and JVM options (e.g. a small heap), once {@code /health/ready} answers 200.
   */
  public static ServiceProcess start(
      Path dataDir, String jwtSecret, Path log, Map<String, String> env, List<String> jvmOptions) {
    ServiceProcess service = launch(dataDir, jwtSecret, log, env, jvmOptions);
    service.awaitReady();
    return service;
  }

  /**
   * Starts the service without waiting for it: for a test that expects it to refuse to start.
   * {@link #exitWithin(Duration)} then tells how it ended.
   */
  public static ServiceProcess launch(
      Path dataDir, String jwtSecret, Path log, Map<String, String> env, List<String> jvmOptions) {
    return launch(new Launch(dataDir, jwtSecret, log, freePort(), List.of(), env, jvmOptions));
  }

  /** Starts the service's JVM and returns at once; {@link #awaitReady} waits for it to serve. */
  public static ServiceProcess launch(Launch launch) {
    List<String> args =
        new ArrayList<>(List.of("serve", "--port", String.valueOf(launch.httpPort())));
    args.addAll(launch.serveFlags());
    ProcessBuilder pb =
        childJvm(args, launch.dataDir(), launch.jwtSecret(), launch.log(), launch.jvmOptions());
    // A prefix such as "ip netns exec" execs the JVM in place: the process is still the JVM.
    List<String> command = new ArrayList<>(launch.commandPrefix());
    command.addAll(pb.command());
    pb.command(command);
    pb.environment().put("LEADCREDITS_HTTP_HOST", launch.host());
    pb.environment().putAll(launch.env());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the service JVM", e);
    }
    Jwt jwt = new Jwt(JwtSecret.of(launch.jwtSecret()), Clock.systemUTC());
    HttpApi api =
        new HttpApi(URI.create("http://" + launch.host() + ":" + launch.httpPort() + "/"), jwt);
    return new ServiceProcess(process, api, launch.dataDir(), launch.log());
  }

  /**
   * Runs {@code leadcredits <args>} to completion in a child JVM on {@code dataDir} and returns its
   * exit status; the output goes to {@code log}.
   */
  public static int run(List<String> args, Path dataDir, String jwtSecret, Path log) {
    try {
      return run(childJvm(args, dataDir, jwtSecret, log, List.of()), args, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run leadcredits " + args, e);
    }
  }

  /**
   * Runs {@code leadcredits <args>} like {@link #run(List, Path, String, Path)}, with extra
   * environment: {@code verify} against a shared PostgreSQL, for one.
   */
  public static int run(
      List<String> args, Path dataDir, String jwtSecret, Path log, Map<String, String> env) {
    ProcessBuilder pb = childJvm(args, dataDir, jwtSecret, log, List.of());
    pb.environment().putAll(env);
    try {
      return run(pb, args, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run leadcredits " + args, e);
    }
  }

  private static int run(ProcessBuilder pb, List<String> args, Path log) throws IOException {
    try {
      Process p = pb.start();
      if (!p.waitFor(startTimeoutMax.toSeconds() * 2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("leadcredits " + args + " did not finish; see " + log);
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The command line of a child JVM running {@code leadcredits} on the test classpath. */
  static List<String> javaCommand(List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(HEAP);
    command.addAll(jvmOptions);
    command.add("-cp");
    // Surefire sets java.class.path to the test classpath: target/classes, test classes, deps.
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args);
    return command;
  }

  private static ProcessBuilder childJvm(
      List<String> args, Path dataDir, String jwtSecret, Path log, List<String> jvmOptions) {
    ProcessBuilder pb = new ProcessBuilder(javaCommand(jvmOptions, args));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("LEADCREDITS_"));
    env.put("LEADCREDITS_DATA_DIR", dataDir.toString());
    env.put("LEADCREDITS_JWT_SECRET", jwtSecret);
    env.put("LEADCREDITS_LOG_LEVEL", "WARN");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb;
  }

  public HttpApi api() {
    return api;
  }

  public long pid() {
    return process.pid();
  }

  /**
   * SIGKILL: no shutdown hook, no flush, no goodbye; the embedded PostgreSQL is left running, as
   * after a real crash. Returns the exit status (137 when it really was signal 9).
   */
  public int kill() {
    process.destroyForcibly();
    return awaitExit();
  }

  /** SIGTERM: the graceful shutdown a container runtime asks for. Returns the exit status. */
  public int stop() {
    process.destroy();
    return awaitExit();
  }

  /** SIGSTOP: the process stops dead, as in a long GC pause or a suspended VM, sockets open. */
  public void freeze() {
    signal("STOP");
  }

  /** SIGCONT: a frozen process carries on where it stopped, unaware of the time that passed. */
  public void thaw() {
    signal("CONT");
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit status once the process has ended by itself within {@code deadline}. */
  public int awaitExit(Duration deadline) {
    Await.until(deadline, "the service (pid " + pid() + ") exits", () -> !process.isAlive());
    return process.exitValue();
  }

  /** The exit status if the process ends within {@code deadline}, or empty if it still runs. */
  public Optional<Integer> exitWithin(Duration deadline) {
    try {
      return process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)
          ? Optional.of(process.exitValue())
          : Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for the service to exit", e);
    }
  }

  /** Everything the service printed so far. */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  public Path log() {
    return log;
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + name + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("kill -" + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Stops the service if it still runs, and any PostgreSQL a killed service left behind. */
  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
    stopOrphanedPostgres(dataDir);
  }

  /** The PostgreSQL of a killed service: asked to stop (SIGTERM), so no test leaves one behind. */
  public static void stopOrphanedPostgres(Path dataDir) {
    postmaster(dataDir)
        .filter(ProcessHandle::isAlive)
        .ifPresent(
            pg -> {
              pg.destroy();
              pg.onExit().orTimeout(exitWaitMax.toSeconds(), TimeUnit.SECONDS).join();
            });
  }

  private static Optional<ProcessHandle> postmaster(Path dataDir) {
    Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      return lines.isEmpty()
          ? Optional.empty()
          : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private int awaitExit() {
    try {
      if (!process.waitFor(exitWaitMax.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(exitWaitMax.toSeconds(), TimeUnit.SECONDS);
        throw new AssertionError("the service did not exit within " + exitWaitMax);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for the service to exit", e);
    }
  }

  /** Returns once {@code /health/ready} answers 200; fails if the process exits first. */
  public void awaitReady() {
    long end = System.nanoTime() + startTimeoutMax.toNanos();
    while (!ready()) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "the service exited with " + process.exitValue() + " while starting:\n" + logTail());
      }
      if (System.nanoTime() > end) {
        process.destroyForcibly();
        throw new AssertionError("not ready within " + startTimeoutMax + ":\n" + logTail());
      }
      try {
        Thread.sleep(100); // polling interval; the loop re-checks readiness
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for readiness", e);
      }
    }
  }

  private boolean ready() {
    try {
      return api.send("GET", "/health/ready", null, null).status() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * A port nothing listens on right now, for a child to bind. Taken from below the kernel's
   * ephemeral range: a port from inside it (what binding port 0 gives) can be taken by any outgoing
   * connection, a database pool's for one, before the child binds it. Successive calls walk the
   * range from a random start, so ports handed out for one test do not repeat.
   */
  public static int freePort() {
    for (int tries = 0; tries < FixedPorts.SIZE; tries++) {
      int port = FixedPorts.next();
      try (ServerSocket s = new ServerSocket(port)) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // in use: try the next one
      }
    }
    throw new IllegalStateException("no free port below the ephemeral range");
  }

  /** Ports from 20000 up to the start of the ephemeral range (32768 on Linux by default). */
  private static final class FixedPorts {
    static final int FIRST = 20000;
    static final int SIZE = ephemeralStart() - FIRST;
    private static final AtomicInteger cursor =
        new AtomicInteger(ThreadLocalRandom.current().nextInt(SIZE));

    static int next() {
      return FIRST + Math.floorMod(cursor.getAndIncrement(), SIZE);
    }

    private static int ephemeralStart() {
      try {
        String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        int start = Integer.parseInt(range.trim().split("\\s+")[0]);
        return start > FIRST + 1000 ? start : 32768;
      } catch (IOException | RuntimeException e) {
        return 32768;
      }
    }
  }
}
