package io.leadcredits.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PauseFenceTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final AtomicLong wallMillis = new AtomicLong(1_700_000_000_000L);
  private final AtomicInteger fencedCalls = new AtomicInteger();
  private final PauseFence fence =
      new PauseFence(
          Duration.ofSeconds(5), nanos::get, wallMillis::get, fencedCalls::incrementAndGet);

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
    wallMillis.addAndGet(d.toMillis());
  }

  @Test
  void aNodeThatKeepsTickingMayWrite() {
    for (int i = 0; i < 100; i++) {
      advance(Duration.ofMillis(100));
      fence.tick();
      assertThat(fence.mayWrite()).isTrue();
    }
    assertThat(fencedCalls).hasValue(0);
  }

  @Test
  void aWriteRightAfterAPauseIsRefusedEvenBeforeTheTickerNotices() {
    fence.tick();
    advance(Duration.ofSeconds(6)); // frozen: the ticker has not run since

    assertThat(fence.mayWrite()).isFalse();
    assertThat(fence.fenced()).isFalse();
  }

  @Test
  void oncePausedTheNodeNeverWritesAgainAndShutsDownOnce() {
    fence.tick();
    advance(Duration.ofSeconds(5));
    fence.tick();

    assertThat(fence.fenced()).isTrue();
    assertThat(fencedCalls).hasValue(1);
    for (int i = 0; i < 10; i++) {
      advance(Duration.ofMillis(100));
      fence.tick();
      assertThat(fence.mayWrite()).isFalse();
    }
    assertThat(fencedCalls).hasValue(1);
  }

  @Test
  void aPauseSeenOnlyByTheWallClockCountsToo() {
    fence.tick();
    wallMillis.addAndGet(
        Duration.ofSeconds(30).toMillis()); // a suspended VM: monotonic stood still
    fence.tick();

    assertThat(fence.fenced()).isTrue();
  }

  @Test
  void aShortPauseIsNotAFence() {
    fence.tick();
    advance(Duration.ofMillis(4_900));
    fence.tick();

    assertThat(fence.mayWrite()).isTrue();
    assertThat(fencedCalls).hasValue(0);
  }

  @Test
  void aThresholdNearTheTickIsRefused() {
    assertThatThrownBy(
            () -> new PauseFence(Duration.ofMillis(500), nanos::get, wallMillis::get, () -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
