package io.leadcredits.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code leadcredits serve} in a child JVM on the caller's class path: a real process, with its own
 * heap, JIT and GC and CPU time apart from the caller's, that can be stopped (SIGTERM), killed
 * (SIGKILL), frozen and started again on the same data. Without a database in its settings it runs
 * on its embedded PostgreSQL in its data directory. Its output is appended to a log file, whose
 * tail is shown when it fails to start. The service is named by its main class, so this module
 * needs none of its classes.
 */
public final class ServiceProcess implements ServiceUnderTest {
  /** The {@code leadcredits} command. */
  public static final String MAIN_CLASS = "io.leadcredits.cli.Main";

  /**
   * Heap of a test's service JVM: ample for a test's few thousand entities, small enough for three.
   */
  public static final String SMALL_HEAP = "-Xmx512m";

  /** Exit status of a process ended by signal 9, as the JDK reports it on Linux: 128 + 9. */
  public static final int SIGKILL_EXIT_STATUS = 137;

  /** Exit status of a JVM that ran its shutdown hooks on SIGTERM: 128 + 15. */
  public static final int SIGTERM_EXIT_STATUS = 143;

  /**
   * A cold start replays PostgreSQL's WAL after a kill, then starts Pekko; a baseline first applies
   * its schema: seconds, not minutes, even on a busy machine.
   */
  private static final Duration startTimeoutMax = Duration.ofSeconds(120);

  private static final Duration exitWaitMax = Duration.ofSeconds(30);

  /** How often readiness is asked while the service starts. */
  private static final long readyPollMillis = 100;

  /** Lines of the log quoted when the service fails to start. */
  private static final int logTailLines = 40;

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
   * How to start one {@code serve}: where, with which tokens' secret, flags of {@code serve}, extra
   * environment (on top of the data dir, secret and log level), JVM options, a command prefix (such
   * as {@code ip netns exec}, which execs the JVM in place), and whether the caller's own {@code
   * LEADCREDITS_*} variables reach the service. By default: on loopback, on a free port and its
   * embedded PostgreSQL, with a small heap and none of the caller's settings.
   */
  public static final class Launch {
    private final Path dataDir;
    private final Tokens tokens;
    private final Path log;
    private String host = "127.0.0.1";
    private int httpPort = freePort();
    private List<String> serveFlags = List.of();
    private Map<String, String> env = Map.of();
    private List<String> jvmOptions = List.of(SMALL_HEAP);
    private List<String> commandPrefix = List.of();
    private boolean inheritSettings;

    private Launch(Path dataDir, Tokens tokens, Path log) {
      this.dataDir = dataDir;
      this.tokens = tokens;
      this.log = log;
    }

    public static Launch of(Path dataDir, Tokens tokens, Path log) {
      return new Launch(dataDir, tokens, log);
    }

    /** Listening on {@code address} and {@code port}. */
    public Launch on(String address, int port) {
      this.host = address;
      this.httpPort = port;
      return this;
    }

    public Launch serveFlags(List<String> flags) {
      this.serveFlags = List.copyOf(flags);
      return this;
    }

    /** Settings of the caller's ({@code LEADCREDITS_*} variables), over the launch's own. */
    public Launch env(Map<String, String> extra) {
      this.env = Map.copyOf(extra);
      return this;
    }

    /** Every JVM option, the heap included: these replace the small heap. */
    public Launch jvmOptions(List<String> options) {
      this.jvmOptions = List.copyOf(options);
      return this;
    }

    public Launch commandPrefix(List<String> prefix) {
      this.commandPrefix = List.copyOf(prefix);
      return this;
    }

    /** The caller's own {@code LEADCREDITS_*} variables reach the service, under the launch's. */
    public Launch inheritingSettings() {
      this.inheritSettings = true;
      return this;
    }
  }

  /** Starts the service and returns once {@code /health/ready} answers 200. */
  public static ServiceProcess start(Path dataDir, Tokens tokens, Path log) {
    return start(Launch.of(dataDir, tokens, log));
  }

  /**
   * Starts the service with settings of the caller's ({@code LEADCREDITS_*} variables, e.g. an
   * external database) and JVM options after the small heap (e.g. a smaller one), once {@code
   * /health/ready} answers 200.
   */
  public static ServiceProcess start(
      Path dataDir, Tokens tokens, Path log, Map<String, String> env, List<String> jvmOptions) {
    return start(launchOf(dataDir, tokens, log, env, jvmOptions));
  }

  /**
   * Starts the service without waiting for it: for a test that expects it to refuse to start.
   * {@link #exitWithin(Duration)} then tells how it ended.
   */
  public static ServiceProcess launch(
      Path dataDir, Tokens tokens, Path log, Map<String, String> env, List<String> jvmOptions) {
    return launch(launchOf(dataDir, tokens, log, env, jvmOptions));
  }

  private static Launch launchOf(
      Path dataDir, Tokens tokens, Path log, Map<String, String> env, List<String> jvmOptions) {
    List<String> options = new ArrayList<>(List.of(SMALL_HEAP));
    options.addAll(jvmOptions);
    return Launch.of(dataDir, tokens, log).env(env).jvmOptions(options);
  }

  /** Starts the service and returns once it serves; stops it again if it does not. */
  public static ServiceProcess start(Launch launch) {
    ServiceProcess service = launch(launch);
    try {
      service.awaitReady();
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
    return service;
  }

  /** Starts the service's JVM and returns at once; {@link #awaitReady} waits for it to serve. */
  public static ServiceProcess launch(Launch launch) {
    List<String> args =
        new ArrayList<>(List.of("serve", "--port", String.valueOf(launch.httpPort)));
    args.addAll(launch.serveFlags);
    ProcessBuilder pb =
        childJvm(
            args,
            launch.dataDir,
            launch.tokens.secret(),
            launch.log,
            launch.jvmOptions,
            launch.inheritSettings);
    // A prefix such as "ip netns exec" execs the JVM in place: the process is still the JVM.
    List<String> command = new ArrayList<>(launch.commandPrefix);
    command.addAll(pb.command());
    pb.command(command);
    pb.environment().put("LEADCREDITS_HTTP_HOST", launch.host);
    pb.environment().putAll(launch.env);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the service JVM", e);
    }
    URI base = URI.create("http://" + launch.host + ":" + launch.httpPort + "/");
    return new ServiceProcess(
        process,
        new HttpApi(base, launch.tokens, HttpApi.REQUEST_TIMEOUT, contract(launch.serveFlags)),
        launch.dataDir,
        launch.log);
  }

  /**
   * The OpenAPI document judges the answers of a service whose classes are on the class path; a
   * benchmark baseline ({@code --engine locks|sql}) may also answer a route it does not offer as
   * one that does not exist.
   */
  private static Contract contract(List<String> serveFlags) {
    Contract contract = Contract.fromClassPath().orElse(null);
    int engine = serveFlags.indexOf("--engine");
    boolean baseline =
        engine >= 0
            && engine + 1 < serveFlags.size()
            && !serveFlags.get(engine + 1).equals("actors");
    return contract == null || !baseline ? contract : contract.allowingAbsentRoutes();
  }

  /**
   * Runs {@code leadcredits <args>} to completion in a child JVM on {@code dataDir} and returns its
   * exit status; the output goes to {@code log}.
   */
  public static int run(List<String> args, Path dataDir, String jwtSecret, Path log) {
    return run(args, dataDir, jwtSecret, log, Map.of());
  }

  /**
   * Runs {@code leadcredits <args>} like {@link #run(List, Path, String, Path)}, with extra
   * environment: {@code verify} against a shared PostgreSQL, for one.
   */
  public static int run(
      List<String> args, Path dataDir, String jwtSecret, Path log, Map<String, String> env) {
    ProcessBuilder pb = childJvm(args, dataDir, jwtSecret, log, List.of(SMALL_HEAP), false);
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      if (!p.waitFor(startTimeoutMax.toSeconds() * 2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("leadcredits " + args + " did not finish; see " + log);
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run leadcredits " + args, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running leadcredits " + args, e);
    }
  }

  /**
   * The command line of a child JVM running {@code leadcredits <args>} on the caller's classpath.
   */
  public static List<String> javaCommand(List<String> jvmOptions, List<String> args) {
    return javaCommand(jvmOptions, MAIN_CLASS, args);
  }

  /** The command line of a child JVM running {@code mainClass} on the caller's classpath. */
  public static List<String> javaCommand(
      List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    // Surefire sets java.class.path to the test classpath; a jar run sets its own class path.
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  private static ProcessBuilder childJvm(
      List<String> args,
      Path dataDir,
      String jwtSecret,
      Path log,
      List<String> jvmOptions,
      boolean inheritSettings) {
    ProcessBuilder pb = new ProcessBuilder(javaCommand(jvmOptions, args));
    Map<String, String> env = pb.environment();
    if (!inheritSettings) {
      env.keySet().removeIf(k -> k.startsWith("LEADCREDITS_"));
    }
    env.put("LEADCREDITS_DATA_DIR", dataDir.toString());
    env.put("LEADCREDITS_JWT_SECRET", jwtSecret);
    // Logging every request would cost the service CPU a benchmark means to measure.
    env.put("LEADCREDITS_LOG_LEVEL", "WARN");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb;
  }

  @Override
  public HttpApi api() {
    return api;
  }

  public long pid() {
    return process.pid();
  }

  /** The process, to read its CPU time. */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /**
   * SIGKILL: no shutdown hook, no flush, no goodbye; the embedded PostgreSQL is left running, as
   * after a real crash. Returns the exit status (137 when it really was signal 9).
   */
  public int kill() {
    process.destroyForcibly();
    return awaitExit();
  }

  /**
   * SIGTERM: the graceful shutdown a container runtime asks for. Returns the exit status; fails if
   * the service does not exit in time (it is then killed).
   */
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
    return exitWithin(deadline)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the service (pid " + pid() + ") did not exit within " + deadline));
  }

  /** The exit status if the process ends within {@code deadline}, or empty if it still runs. */
  public Optional<Integer> exitWithin(Duration deadline) {
    try {
      return process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)
          ? Optional.of(process.exitValue())
          : Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the service to exit", e);
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
        throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("kill -" + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Stops the service if it still runs (SIGTERM, SIGKILL if it does not exit in time), and any
   * PostgreSQL a killed service left behind.
   */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      if (exitWithin(exitWaitMax).isEmpty()) {
        process.destroyForcibly();
        exitWithin(exitWaitMax);
      }
    }
    stopOrphanedPostgres(dataDir);
  }

  /** The PostgreSQL of a killed service: asked to stop (SIGTERM), so none is left behind. */
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
    Optional<Integer> exit = exitWithin(exitWaitMax);
    if (exit.isEmpty()) {
      process.destroyForcibly();
      exitWithin(exitWaitMax);
      throw new IllegalStateException("the service did not exit within " + exitWaitMax);
    }
    return exit.get();
  }

  /** Returns once {@code /health/ready} answers 200; fails if the process exits first. */
  public void awaitReady() {
    long end = System.nanoTime() + startTimeoutMax.toNanos();
    while (!ready()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the service exited with " + process.exitValue() + " while starting: " + logTail());
      }
      if (System.nanoTime() > end) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the service was not ready within " + startTimeoutMax + ": " + logTail());
      }
      try {
        Thread.sleep(readyPollMillis); // polling interval; the loop re-checks readiness
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for readiness", e);
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

  /** The last lines of the log, on one line, to say why the service failed. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(
          " | ", lines.subList(Math.max(0, lines.size() - logTailLines), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * A port nothing listens on right now, for a child to bind. Taken from below the kernel's
   * ephemeral range: a port from inside it (what binding port 0 gives) can be taken by any outgoing
   * connection, a database pool's for one, before the child binds it. Successive calls walk the
   * range from a random start, so ports handed out for one caller do not repeat.
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
