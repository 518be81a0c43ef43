package io.leadcredits.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The live heap of a service JVM: the bytes of the objects it can still reach, read with {@code
 * jcmd <pid> GC.class_histogram}, which runs a full stop-the-world collection and then sums the
 * objects left, in the same pause.
 *
 * <p>Chosen over Micrometer's {@code jvm_gc_live_data_size_bytes} on {@code /metrics}: that gauge
 * is set only when a collection shrinks the old generation or collects it whole. On the service's 2
 * GiB heap G1 may run neither for many minutes, so the gauge stays 0 or minutes old, and after a
 * mixed collection it still counts the garbage in the old regions left uncollected. Chosen over
 * {@code jcmd GC.run} followed by a reading of the heap: GC.run does nothing under {@code
 * -XX:+DisableExplicitGC} and starts only a concurrent cycle under {@code
 * -XX:+ExplicitGCInvokesConcurrent} (flags an experiment may add through {@value
 * BenchOptions#serviceJavaOptsEnv}), and a reading taken after it also counts whatever the load
 * allocated in between. A heap inspection's collection is neither skipped by those flags nor
 * followed by allocation before the sum. Its cost is one full-GC pause per sample, which lands in
 * the next interval's maximum latency.
 */
final class LiveHeap {
  /** A histogram of a 2 GiB heap takes seconds at most; longer means the attach hangs. */
  private static final Duration jcmdWaitMax = Duration.ofSeconds(60);

  private LiveHeap() {}

  /** The bytes reachable in this JVM after a full collection. */
  static long bytes(ProcessHandle jvm) throws IOException, InterruptedException {
    Path output = Files.createTempFile("leadcredits-histogram", ".txt");
    try {
      Process jcmd =
          new ProcessBuilder(jcmdBinary(), Long.toString(jvm.pid()), "GC.class_histogram")
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!jcmd.waitFor(jcmdWaitMax.toSeconds(), TimeUnit.SECONDS)) {
        jcmd.destroyForcibly();
        throw new IOException("jcmd GC.class_histogram did not answer within " + jcmdWaitMax);
      }
      List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
      if (jcmd.exitValue() != 0) {
        throw new IOException("jcmd failed: " + String.join(" ", lines));
      }
      return total(lines);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** The bytes on the histogram's last line: {@code Total <instances> <bytes>}. */
  static long total(List<String> histogram) throws IOException {
    for (int i = histogram.size() - 1; i >= 0; i--) {
      String[] fields = histogram.get(i).strip().split("\\s+");
      if (fields.length == 3 && fields[0].equals("Total")) {
        return Long.parseLong(fields[2]);
      }
    }
    throw new IOException("no Total line in the class histogram");
  }

  /** The jcmd of the JDK running the benchmark, which also runs the services. */
  private static String jcmdBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
  }
}
