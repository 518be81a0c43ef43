package io.leadcredits.support;

import io.leadcredits.testkit.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code leadcredits db --port 0} in a child JVM: the one PostgreSQL that the nodes of a test
 * cluster share, started exactly as an operator would start it. Its settings are read from what it
 * prints.
 */
public final class DatabaseProcess implements AutoCloseable {
  private static final Duration startTimeoutMax = Duration.ofSeconds(90);
  private static final Duration stopWaitMax = Duration.ofSeconds(30);

  private final Process process;
  private final Map<String, String> settings;
  private final Path dataDir;

  private DatabaseProcess(Process process, Map<String, String> settings, Path dataDir) {
    this.process = process;
    this.settings = Map.copyOf(settings);
    this.dataDir = dataDir;
  }

  /** Starts PostgreSQL in {@code dataDir} and returns once it has printed its settings. */
  public static DatabaseProcess start(Path dataDir, Path log) {
    ProcessBuilder pb =
        new ProcessBuilder(
            ServiceProcess.javaCommand(
                List.of(ServiceProcess.SMALL_HEAP),
                List.of("db", "--port", "0", "--data-dir", dataDir.toString())));
    pb.environment().keySet().removeIf(k -> k.startsWith("LEADCREDITS_"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start leadcredits db", e);
    }
    Map<String, String> printed = new HashMap<>();
    try {
      Await.until(
          startTimeoutMax,
          "leadcredits db prints its settings (log " + log + ")",
          () -> {
            if (!process.isAlive()) {
              throw new AssertionError("leadcredits db exited; see " + log);
            }
            printed.putAll(settingsIn(log));
            return printed.containsKey("LEADCREDITS_DB_PASSWORD");
          });
    } catch (AssertionError e) {
      process.destroyForcibly();
      throw e;
    }
    return new DatabaseProcess(process, printed, dataDir);
  }

  private static Map<String, String> settingsIn(Path log) {
    Map<String, String> found = new HashMap<>();
    try {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (line.startsWith("LEADCREDITS_DB_") && eq > 0) {
          found.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      // not written yet
    }
    return found;
  }

  /** {@code LEADCREDITS_DB_URL}, {@code _USER} and {@code _PASSWORD}, for a node's environment. */
  public Map<String, String> env() {
    return settings;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(
        settings.get("LEADCREDITS_DB_URL"),
        settings.get("LEADCREDITS_DB_USER"),
        settings.get("LEADCREDITS_DB_PASSWORD"));
  }

  /** SIGTERM: PostgreSQL shuts down cleanly; an orphan (if the JVM died first) is stopped too. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(stopWaitMax.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ServiceProcess.stopOrphanedPostgres(dataDir);
  }
}
