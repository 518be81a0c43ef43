package io.leadcredits.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {
  private static final long second = 1_000_000_000L;

  @Test
  void requestsAreDueAtEvenIntervalsFromTheStart() {
    ArrivalSchedule s = new ArrivalSchedule(5_000, 4);
    assertThat(s.intendedNanos(0)).isEqualTo(5_000);
    assertThat(s.intendedNanos(1)).isEqualTo(5_000 + second / 4);
    assertThat(s.intendedNanos(2)).isEqualTo(5_000 + second / 2);
    assertThat(s.intendedNanos(4)).isEqualTo(5_000 + second);
  }

  @Test
  void aRateThatDoesNotDivideASecondDoesNotDrift() {
    ArrivalSchedule s = new ArrivalSchedule(-123_456_789L, 7);
    // Adding a rounded interval of 142,857,142 ns to the previous time would lose 6 ns a second:
    // after ten days, 5 ms. Computed from the start, every 7th request falls on a whole second.
    for (long k : new long[] {1, 2, 1_000, 864_000}) {
      assertThat(s.intendedNanos(7 * k)).isEqualTo(-123_456_789L + k * second);
    }
    long previous = s.intendedNanos(0);
    for (long i = 1; i <= 7_000; i++) {
      long gap = s.intendedNanos(i) - previous;
      assertThat(gap).isBetween(second / 7, second / 7 + 1);
      previous = s.intendedNanos(i);
    }
  }

  @Test
  void highRatesStayExactOverLongRuns() {
    ArrivalSchedule s = new ArrivalSchedule(0, 30_000);
    long dayOfRequests = 30_000L * 86_400;
    assertThat(s.intendedNanos(dayOfRequests)).isEqualTo(86_400 * second);
    assertThat(s.intendedNanos(dayOfRequests + 3)).isEqualTo(86_400 * second + 100_000);
  }

  @Test
  void findsTheFirstRequestDueAtOrAfterAMoment() {
    ArrivalSchedule s = new ArrivalSchedule(1_000, 3);
    assertThat(s.firstIndexAtOrAfter(0)).isZero();
    assertThat(s.firstIndexAtOrAfter(1_000)).isZero();
    assertThat(s.firstIndexAtOrAfter(1_001)).isEqualTo(1);
    assertThat(s.firstIndexAtOrAfter(1_000 + second)).isEqualTo(3);
    assertThat(s.firstIndexAtOrAfter(1_000 + second + 1)).isEqualTo(4);
    for (long t = 0; t < 3 * second; t += 7_777_777) {
      long i = s.firstIndexAtOrAfter(1_000 + t);
      assertThat(s.intendedNanos(i)).isGreaterThanOrEqualTo(1_000 + t);
      if (i > 0) {
        assertThat(s.intendedNanos(i - 1)).isLessThan(1_000 + t);
      }
    }
  }

  @Test
  void refusesRatesOutOfRange() {
    assertThatThrownBy(() -> new ArrivalSchedule(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ArrivalSchedule(0, ArrivalSchedule.rateMax + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
