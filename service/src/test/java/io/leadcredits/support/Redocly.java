package io.leadcredits.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Redocly's CLI, the OpenAPI linter an integrator is most likely to run on our document, installed
 * from the npm registry with npm into a cache of this machine ({@code
 * ~/.cache/leadcredits/redocly-cli-VERSION}) the first time a test needs it. Where npm or the
 * registry cannot be had, a test that needs it is skipped, except under {@code CI=true}, where it
 * fails: CI must judge the contract, not skip it.
 */
public final class Redocly {
  /** The version tried on these machines (1.34.21 does not install). */
  public static final String VERSION = "2.77.0";

  /** A first install downloads a few hundred packages; later runs find them in the cache. */
  private static final long installTimeoutSeconds = 600;

  private static final long lintTimeoutSeconds = 180;

  private static final ObjectMapper json = new ObjectMapper();

  private Redocly() {}

  /** What a lint found, by severity, and its report as text for a failure message. */
  public record Lint(int errors, int warnings, String report) {}

  /**
   * Lints {@code document} with the {@code recommended} rules, Redocly's default for a project
   * without a configuration.
   */
  public static Lint lint(Path document) {
    Path cli = cliOrSkip();
    Path work = temporaryDirectory();
    List<String> command =
        List.of(
            cli.toString(),
            "lint",
            "--extends=recommended",
            "--format=json",
            document.toAbsolutePath().toString());
    Run run = run(command, work, lintTimeoutSeconds);
    try {
      JsonNode report = json.readTree(run.stdout());
      JsonNode totals = report.path("totals");
      if (!totals.has("errors")) {
        throw new AssertionError("redocly lint gave no totals: " + run);
      }
      return new Lint(
          totals.get("errors").asInt(),
          totals.path("warnings").asInt(),
          json.writerWithDefaultPrettyPrinter().writeValueAsString(report.path("problems")));
    } catch (IOException e) {
      throw new AssertionError("redocly lint did not answer JSON: " + run, e);
    }
  }

  /** The installed {@code redocly} command, installing it first if needed. */
  private static synchronized Path cliOrSkip() {
    Path home = Path.of(System.getProperty("user.home"), ".cache", "leadcredits");
    Path dir = home.resolve("redocly-cli-" + VERSION);
    Path cli = dir.resolve("node_modules/.bin/redocly");
    if (Files.isExecutable(cli)) {
      return cli;
    }
    try {
      install(home, dir);
    } catch (RuntimeException | AssertionError e) {
      // A developer without npm or the registry still runs the rest; CI must run this.
      if ("true".equals(System.getenv("CI"))) {
        throw e;
      }
      Assumptions.abort("Redocly's CLI could not be installed here: " + e.getMessage());
    }
    return cli;
  }

  /**
   * Installs into a fresh directory, then moves it into place, so a run stopped halfway leaves no
   * broken install behind and two builds installing at once both end with a whole one.
   */
  private static void install(Path home, Path dir) {
    try {
      Files.createDirectories(home);
      Path staging = Files.createTempDirectory(home, "redocly-install");
      Run run =
          run(
              List.of(
                  "npm",
                  "install",
                  "--no-audit",
                  "--no-fund",
                  "--no-save",
                  "--loglevel=error",
                  "--prefix",
                  staging.toString(),
                  "@redocly/cli@" + VERSION),
              staging,
              installTimeoutSeconds);
      if (run.exit() != 0) {
        throw new IllegalStateException("npm install @redocly/cli failed: " + run);
      }
      try {
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // Another build installed it first: use theirs.
      } catch (AtomicMoveNotSupportedException e) {
        throw new IllegalStateException("cannot move the install into " + dir, e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Run(int exit, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exit + "\nstdout:\n" + tail(stdout) + "\nstderr:\n" + tail(stderr);
    }

    private static String tail(String s) {
      return s.length() <= 4000 ? s : "…" + s.substring(s.length() - 4000);
    }
  }

  private static Run run(List<String> command, Path dir, long timeoutSeconds) {
    try {
      Path out = Files.createTempFile("redocly", ".out");
      Path err = Files.createTempFile("redocly", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(new ArrayList<>(command))
              .directory(dir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      Map<String, String> env = pb.environment();
      // No usage reports and no update check: this machine reaches no such service, and a test
      // must not wait for one.
      env.put("REDOCLY_TELEMETRY", "off");
      env.put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
      env.put("NO_UPDATE_NOTIFIER", "1");
      Process process;
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new IllegalStateException(command.get(0) + " cannot be run: " + e.getMessage(), e);
      }
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " did not end within " + timeoutSeconds + " s");
      }
      Run run =
          new Run(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("redocly-lint");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
