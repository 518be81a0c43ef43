package io.leadcredits.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void percentilesAreWithinThreePercent() {
    Latencies l = new Latencies();
    for (long us = 1; us <= 100_000; us++) {
      l.record(us);
    }
    assertThat((double) l.quantileMicros(0.5)).isCloseTo(50_000, within(1_500.0));
    assertThat((double) l.quantileMicros(0.99)).isCloseTo(99_000, within(3_000.0));
    assertThat(l.maxMicros()).isEqualTo(100_000);
  }

  @Test
  void bucketsRoundTrip() {
    for (long v : new long[] {0, 63, 64, 1_000, 123_456, 10_000_000_000L}) {
      long mid = Latencies.middle(Latencies.index(v));
      assertThat((double) mid).isCloseTo(v, within(v * 0.04 + 1));
    }
  }
}
