package io.leadcredits.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A soak's two files: soak.json (the context, one entry per minute, the verdict) and soak.md (the
 * same as a table). {@code invariantsHold} is null while the checks after the soak have not run.
 * With several scenarios or engines each soak has its own pair, named {@code
 * soak-<scenario>-<engine>}.
 */
record SoakReport(
    BenchOptions options,
    String scenario,
    String engine,
    Instant startedAt,
    String gitCommit,
    List<SoakSample> minutes,
    SoakVerdict verdict,
    Boolean invariantsHold) {

  SoakReport {
    minutes = List.copyOf(minutes);
  }

  /** The files' name without the extension. */
  String stem() {
    return options.oneRun() ? "soak" : "soak-" + scenario + "-" + engine;
  }

  /** Writes both files into {@code dir} and returns soak.md's path. */
  Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(
        dir.resolve(stem() + ".json"),
        mapper.writeValueAsString(json(mapper)),
        StandardCharsets.UTF_8);
    Path md = dir.resolve(stem() + ".md");
    Files.writeString(md, markdown(), StandardCharsets.UTF_8);
    return md;
  }

  ObjectNode json(ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    root.put("scenario", scenario);
    root.put("engine", engine);
    root.put("clients", options.clients());
    root.put("intervalSeconds", options.soak().interval().toMillis() / 1000.0);
    root.put("warmupSeconds", options.warmup().toMillis() / 1000.0);
    root.put("startedAt", startedAt.toString());
    root.put("gitCommit", gitCommit);
    root.put("serviceJvmFlags", String.join(" ", options.serviceJvmFlags()));
    root.put("command", options.command());
    root.put("invariantsHold", invariantsHold);
    root.set("minutes", mapper.valueToTree(minutes));
    root.set("verdict", mapper.valueToTree(verdict));
    return root;
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append(f("# leadcredits soak: %s on %s%n%n", scenario, engine));
    md.append(f("- date: %s; commit: %s%n", startedAt, gitCommit == null ? "unknown" : gitCommit));
    md.append(
        f(
            "- %d closed-loop clients, %d intervals of %.0f s after %.0f s warm-up; service JVM `%s`%n",
            options.clients(),
            minutes.size(),
            options.soak().interval().toMillis() / 1000.0,
            options.warmup().toMillis() / 1000.0,
            String.join(" ", options.serviceJvmFlags())));
    md.append(
        f(
            "- invariants after the soak: %s%n",
            invariantsHold == null ? "not checked yet" : invariantsHold ? "hold" : "**violated**"));
    md.append(f("- verdict: %s%n", verdict.summary()));
    md.append("- reproduce: `").append(options.command()).append("`\n\n");
    md.append(
        "| minute | req/s | p99 ms | heap after GC MB | snapshot bytes | journal MB"
            + " | events | look-up scans | rows read |\n"
            + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (SoakSample s : minutes) {
      md.append(
          f(
              "| %d | %,.0f | %.2f | %s | %s | %s | %s | %s | %s |%n",
              s.minute(),
              s.throughputPerSecond(),
              s.p99Ms(),
              number(s.heapAfterGcBytes(), 1e6),
              s.snapshotBytes() == null ? "-" : f("%,d", s.snapshotBytes()),
              number(s.journalBytes(), 1e6),
              count(s.journalEvents()),
              count(s.lookupScans()),
              count(s.lookupRowsRead())));
    }
    md.append(
        f(
            "%nRates and p99 are over each interval alone. Heap after GC is what the service can"
                + " still reach after a full GC at the end of the interval (jcmd"
                + " GC.class_histogram); snapshot bytes the size of the hot account's newest"
                + " snapshot; journal MB the event journal's size with its indexes; events the"
                + " journal rows written in the interval, look-up scans and rows read those of the"
                + " index ids no longer in an account's memory are looked up in (one scan per id"
                + " asked), as PostgreSQL counts them. The verdict compares the median of the"
                + " last %d minutes with that of minutes %d–%d.%n",
            SoakVerdict.lateMinutes, SoakVerdict.earlyFirstMinute, SoakVerdict.earlyLastMinute));
    return md.toString();
  }

  private static String count(Long n) {
    return n == null ? "-" : f("%,d", n);
  }

  private static String number(Long bytes, double unit) {
    return bytes == null ? "-" : f("%,.1f", bytes / unit);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
