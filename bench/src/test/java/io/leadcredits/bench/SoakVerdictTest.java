package io.leadcredits.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/** A soak's verdict: heap after GC and rate of its last minutes against minutes 5 to 10. */
class SoakVerdictTest {
  private static final long heapMb = 1_000_000;

  @Test
  void aFlatHeapAndRateHoldSteady() {
    SoakVerdict v = SoakVerdict.of(minutes(30, m -> 15_000, m -> 300 * heapMb));

    assertThat(v.ok()).isTrue();
    assertThat(v.heap().ratio()).isCloseTo(1.0, within(1e-9));
    assertThat(v.rate().ratio()).isCloseTo(1.0, within(1e-9));
    assertThat(v.summary()).startsWith("steady:");
  }

  @Test
  void aHeapGrowingEveryMinuteIsNotSteady() {
    // 2% of the first minute's heap more each minute: about 1.3× from minute 7.5 to minute 28.
    SoakVerdict v = SoakVerdict.of(minutes(30, m -> 15_000, m -> (300 + 6L * m) * heapMb));

    assertThat(v.ok()).isFalse();
    assertThat(v.heap().ok()).isFalse();
    assertThat(v.heap().earlyMedian()).isEqualTo((300 + 6 * 7.5) * heapMb);
    assertThat(v.heap().lateMedian()).isEqualTo((300 + 6 * 28.0) * heapMb);
    assertThat(v.rate().ok()).isTrue();
    assertThat(v.summary()).startsWith("NOT steady:").contains("grows");
  }

  @Test
  void aHeapWithinTenPercentHolds() {
    SoakVerdict v = SoakVerdict.of(minutes(20, m -> 15_000, m -> (m > 15 ? 329 : 300) * heapMb));

    assertThat(v.heap().ratio()).isCloseTo(1.0967, within(0.001));
    assertThat(v.ok()).isTrue();
  }

  @Test
  void aRateDroppingInTheLastMinutesIsNotSteady() {
    SoakVerdict v = SoakVerdict.of(minutes(20, m -> m > 15 ? 12_000 : 15_000, m -> 300 * heapMb));

    assertThat(v.ok()).isFalse();
    assertThat(v.rate().ok()).isFalse();
    assertThat(v.rate().ratio()).isCloseTo(0.8, within(1e-9));
    assertThat(v.heap().ok()).isTrue();
    assertThat(v.summary()).contains("drops");
  }

  @Test
  void oneSlowMinuteDoesNotDecideAlone() {
    SoakVerdict v = SoakVerdict.of(minutes(20, m -> m == 18 ? 5_000 : 15_000, m -> 300 * heapMb));

    assertThat(v.rate().ratio()).isCloseTo(1.0, within(1e-9));
    assertThat(v.ok()).isTrue();
  }

  @Test
  void aSoakShorterThanFifteenMinutesIsNotJudged() {
    SoakVerdict v = SoakVerdict.of(minutes(14, m -> 15_000, m -> 300 * heapMb));

    assertThat(v.ok()).isNull();
    assertThat(v.heap()).isNull();
    assertThat(v.rate()).isNull();
    assertThat(v.summary()).isEqualTo("not measured (needs 15 minutes)");
    assertThat(SoakVerdict.of(minutes(15, m -> 15_000, m -> 300 * heapMb)).ok()).isTrue();
  }

  @Test
  void withoutHeapSamplesOnlyTheRateIsJudged() {
    SoakVerdict steady = SoakVerdict.of(minutes(20, m -> 15_000, m -> -1));
    SoakVerdict slower = SoakVerdict.of(minutes(20, m -> m > 15 ? 9_000 : 15_000, m -> -1));

    assertThat(steady.heap()).isNull();
    assertThat(steady.ok()).isNull();
    assertThat(steady.summary()).contains("heap after GC not measured");
    assertThat(slower.ok()).isFalse();
  }

  /** Minutes 1..n with these rates and heaps after GC (a negative heap: not measured). */
  private static List<SoakSample> minutes(int n, IntToDoubleFunction rate, IntToLongFunction heap) {
    List<SoakSample> minutes = new ArrayList<>();
    for (int m = 1; m <= n; m++) {
      long h = heap.applyAsLong(m);
      minutes.add(
          new SoakSample(m, rate.applyAsDouble(m), 40.0, h < 0 ? null : h, 20_000L, m * heapMb));
    }
    return minutes;
  }
}
