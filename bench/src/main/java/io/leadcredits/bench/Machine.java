package io.leadcredits.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/**
 * The machine the benchmark ran on, for the report; {@code postgresSettings} are read back from the
 * server, so whether a 2xx was durable is a fact of the run, not an assumption.
 */
record Machine(
    int cores,
    double memoryGb,
    String java,
    String os,
    String postgres,
    Map<String, String> postgresSettings) {

  /** The server settings a reader needs to judge a figure: durability first. */
  static final List<String> SETTINGS =
      List.of(
          "fsync",
          "synchronous_commit",
          "full_page_writes",
          "wal_level",
          "wal_sync_method",
          "shared_buffers",
          "max_connections");

  Machine {
    postgresSettings = Map.copyOf(postgresSettings);
  }

  /** Whether every acknowledged write was on disk: fsync and synchronous_commit both on. */
  boolean durable() {
    return "on".equals(postgresSettings.get("fsync"))
        && "on".equals(postgresSettings.get("synchronous_commit"));
  }

  static Machine current(String postgres, Map<String, String> postgresSettings) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double gb = Math.round(os.getTotalMemorySize() / 1e9 * 10) / 10.0;
    String java =
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    String system =
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch");
    return new Machine(CpuMeter.cores(), gb, java, system, postgres, postgresSettings);
  }
}
