package io.leadcredits.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceJvmFlagsTest {
  @Test
  void extraFlagsFollowTheServicesOwn() {
    assertThat(BenchOptions.serviceJvmFlags(List.of("-XX:+UseCompactObjectHeaders")))
        .startsWith("-Xms2g", "-Xmx2g", "-XX:+UseG1GC")
        .endsWith("-XX:+UseCompactObjectHeaders");
  }

  @Test
  void aCollectorInTheExtraFlagsReplacesG1() {
    List<String> flags = BenchOptions.serviceJvmFlags(List.of("-XX:+UseZGC"));
    assertThat(flags).doesNotContain("-XX:+UseG1GC").contains("-Xmx2g").endsWith("-XX:+UseZGC");
  }
}
