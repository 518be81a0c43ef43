package io.leadcredits.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * CPU time of this JVM (the load generator), of the service's process, and of the whole machine
 * (/proc/stat), sampled at the start and end of the measured window. Shares are of all cores: 0.5
 * on a 2-core machine is one core busy.
 */
final class CpuMeter {
  /** A sample: nanoseconds of CPU of the generator, the server, the machine (busy, total). */
  record Sample(long wallNanos, long generator, long server, long machineBusy, long machineAll) {}

  private static final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private CpuMeter() {}

  /** CPU so far of the generator, of the service (all its nodes together) and of the machine. */
  static Sample sample(List<ProcessHandle> servers) {
    long serverCpu = 0;
    for (ProcessHandle server : servers) {
      long cpu = server.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
      if (cpu < 0) {
        serverCpu = -1;
        break;
      }
      serverCpu += cpu;
    }
    long[] machine = machine();
    return new Sample(System.nanoTime(), os.getProcessCpuTime(), serverCpu, machine[0], machine[1]);
  }

  static double generatorShare(Sample a, Sample b) {
    return share(b.generator() - a.generator(), a, b);
  }

  static double serverShare(Sample a, Sample b) {
    return a.server() < 0 || b.server() < 0 ? -1 : share(b.server() - a.server(), a, b);
  }

  static double machineShare(Sample a, Sample b) {
    long all = b.machineAll() - a.machineAll();
    return all <= 0 ? -1 : (double) (b.machineBusy() - a.machineBusy()) / all;
  }

  private static double share(long cpuNanos, Sample a, Sample b) {
    return cpuNanos / (double) (b.wallNanos() - a.wallNanos()) / cores();
  }

  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** Busy and total jiffies of all cores; zeros where /proc/stat does not exist. */
  private static long[] machine() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long all = 0;
      for (int i = 1; i < f.length; i++) {
        all += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
      return new long[] {all - idle, all};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }
}
