package io.leadcredits.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Repairs what a killed process leaves in the embedded PostgreSQL's data directory, so that a
 * restart on the same data always works. Only called while holding the data directory's lock, so
 * whatever it finds belongs to no live leadcredits process.
 */
final class EmbeddedServers {
  private EmbeddedServers() {}

  /**
   * A JVM killed with SIGKILL leaves its PostgreSQL running: the server is a separate process and
   * zonky stops it from a shutdown hook that never ran. A new server cannot start on the same data
   * while it lives, so it is asked to shut down (SIGTERM; its clients died with the JVM).
   */
  static void stopOrphan(Path pgDir, Duration waitMax) {
    Optional<ProcessHandle> orphan = readPid(pgDir).flatMap(ProcessHandle::of);
    if (orphan.isEmpty() || !orphan.get().isAlive() || !isPostgresOf(orphan.get(), pgDir)) {
      return; // no pid file, or a stale one: PostgreSQL itself ignores a stale pid file
    }
    ProcessHandle server = orphan.get();
    server.destroy();
    try {
      server.onExit().get(waitMax.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException(
          "an orphaned PostgreSQL (pid "
              + server.pid()
              + ") on "
              + pgDir
              + " did not stop within "
              + waitMax.toSeconds()
              + "s; stop it and retry",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping an orphaned PostgreSQL", e);
    }
  }

  /**
   * initdb killed halfway leaves a directory zonky would neither initialise again (initdb wants an
   * empty directory) nor start. No data can have been written to a cluster that never finished
   * initdb, so the remains are removed and initdb runs afresh.
   */
  static void discardUnfinishedInitdb(Path pgDir, String initdbDoneMarker) {
    if (!Files.isDirectory(pgDir) || Files.exists(pgDir.resolve(initdbDoneMarker))) {
      return;
    }
    try (Stream<Path> walk = Files.walk(pgDir)) {
      List<Path> deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path p : deepestFirst) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear unfinished PostgreSQL directory " + pgDir, e);
    }
  }

  private static Optional<Long> readPid(Path pgDir) {
    Path pidFile = pgDir.resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Guards against a reused pid: only a postgres process serving this very directory is stopped.
   */
  private static boolean isPostgresOf(ProcessHandle process, Path pgDir) {
    ProcessHandle.Info info = process.info();
    boolean isPostgres = info.command().map(c -> c.endsWith("/postgres")).orElse(false);
    boolean servesDir =
        info.arguments().map(args -> List.of(args).contains(pgDir.toString())).orElse(false);
    return isPostgres && servesDir;
  }
}
