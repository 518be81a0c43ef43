package io.leadcredits.bench;

import java.lang.management.ManagementFactory;

/** The machine the benchmark ran on, for the report. */
record Machine(int cores, double memoryGb, String java, String os, String postgres) {
  static Machine current(String postgres) {
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
    return new Machine(CpuMeter.cores(), gb, java, system, postgres);
  }
}
