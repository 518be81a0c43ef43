package io.leadcredits.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The measured window of a soak: the load runs on while, at the end of each interval, the
 * interval's rate and p99 are cut from the clients' stats and the database and the service are
 * sampled. Intervals end on a fixed schedule from the window's start, so the time a sample takes
 * (two queries and a full GC of the service) is spent inside the next interval, whose rate is over
 * its real length.
 */
final class SoakSampler {
  /** What the soak watches apart from the clients: where, and which entity's snapshot. */
  record Watched(
      BenchDatabase database,
      String db,
      List<ProcessHandle> services,
      String snapshotPersistenceId,
      boolean journal) {}

  private final BenchOptions.Soak soak;
  private final Watched watched;
  private final PrintWriter out;
  private final String label;

  /** The quantities whose failure was printed already: once is enough. */
  private final Set<String> unmeasured = new HashSet<>();

  /**
   * {@code watched.snapshotPersistenceId} is null when no snapshot is watched, and {@code journal}
   * false when the engine keeps none: their fields stay null.
   */
  SoakSampler(BenchOptions.Soak soak, Watched watched, PrintWriter out, String label) {
    this.soak = soak;
    this.watched = watched;
    this.out = out;
    this.label = label;
  }

  /** Runs the window while {@code stats} measures, and returns one sample per interval. */
  List<SoakSample> run(RunStats stats) throws InterruptedException {
    long start = System.nanoTime();
    long intervalNanos = soak.interval().toNanos();
    stats.startInterval();
    BenchDatabase.JournalActivity before = journalActivity();
    List<SoakSample> samples = new ArrayList<>();
    for (int minute = 1; minute <= soak.samples(); minute++) {
      sleepUntil(start + minute * intervalNanos);
      RunStats.IntervalStats load = stats.endInterval();
      Long snapshot =
          watched.snapshotPersistenceId() == null
              ? null
              : measured(
                  "snapshot size",
                  () ->
                      watched
                          .database()
                          .newestSnapshotBytes(watched.db(), watched.snapshotPersistenceId()));
      Long journal =
          watched.journal()
              ? measured("journal size", () -> watched.database().journalBytes(watched.db()))
              : null;
      BenchDatabase.JournalActivity now = journalActivity();
      BenchDatabase.JournalActivity done = now == null || before == null ? null : now.since(before);
      before = now;
      Long heap = measured("heap after GC", this::liveHeap);
      SoakSample sample =
          new SoakSample(
              minute,
              Report.round(load.throughputPerSecond(), 1),
              load.p99Ms(),
              heap,
              snapshot,
              journal,
              done == null ? null : done.events(),
              done == null ? null : done.lookupScans(),
              done == null ? null : done.lookupRowsRead());
      samples.add(sample);
      say(
          "  %s minute %d: %,.0f req/s  p99 %.2f ms  heap after GC %s  snapshot %s  journal %s",
          label,
          minute,
          sample.throughputPerSecond(),
          sample.p99Ms(),
          megabytes(heap),
          snapshot == null ? "-" : String.format(Locale.ROOT, "%,d B", snapshot),
          megabytes(journal));
      if (done != null) {
        say(
            "  %s minute %d: journal %,d events, %,d look-up scans reading %,d rows",
            label, minute, done.events(), done.lookupScans(), done.lookupRowsRead());
      }
    }
    return samples;
  }

  /** The journal's counts so far; null on the baselines, or when they could not be read. */
  private BenchDatabase.JournalActivity journalActivity() throws InterruptedException {
    if (!watched.journal()) {
      return null;
    }
    try {
      return watched.database().journalActivity(watched.db());
    } catch (SQLException e) {
      if (unmeasured.add("journal activity")) {
        say("  %s: journal activity not measured: %s", label, e.getMessage());
      }
      return null;
    }
  }

  /** The live heap of the service, all its nodes together. */
  private long liveHeap() throws IOException, InterruptedException {
    long bytes = 0;
    for (ProcessHandle service : watched.services()) {
      bytes += LiveHeap.bytes(service);
    }
    return bytes;
  }

  private interface Measurement {
    long take() throws IOException, SQLException, InterruptedException;
  }

  /** The measurement, or null (said once per quantity) when it failed. */
  private Long measured(String what, Measurement measurement) throws InterruptedException {
    try {
      return measurement.take();
    } catch (IOException | SQLException e) {
      if (unmeasured.add(what)) {
        say("  %s: %s not measured: %s", label, what, e.getMessage());
      }
      return null;
    }
  }

  private static void sleepUntil(long deadlineNanos) throws InterruptedException {
    long wait = deadlineNanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  static String megabytes(Long bytes) {
    return bytes == null ? "-" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  private void say(String format, Object... args) {
    out.println(String.format(Locale.ROOT, format, args));
    out.flush();
  }
}
