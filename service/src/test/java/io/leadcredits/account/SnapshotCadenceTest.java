package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * When an account snapshots: a restart replays at most half as many events as the account remembers
 * ids, and the snapshots write about two remembered ids per event, however busy.
 */
class SnapshotCadenceTest {
  private static final int every = 100;
  private static final long events = 2_000_000;

  /** Snapshots taken, ids they wrote, and the longest replay a restart could have needed. */
  private record Run(int snapshots, long idsWritten, long replayMax) {}

  @Test
  void anAccountWhoseEveryEventIsANewIdKeepsSnapshotting() {
    Run run = simulate(seq -> seq);

    assertThat(run.replayMax()).isLessThanOrEqualTo(events / 2);
    assertThat(run.snapshots()).isGreaterThan(10);
    assertThat((double) run.idsWritten() / events).isLessThanOrEqualTo(2.0);
  }

  @Test
  void anAccountWhoseIdsAgeOutSnapshotsEveryHalfOfWhatItRemembers() {
    long window = 50_000;
    Run run = simulate(seq -> Math.min(seq, window));

    assertThat(run.replayMax()).isBetween(window / 2 - 1, window / 2);
    assertThat((double) run.idsWritten() / events).isBetween(1.9, 2.0);
  }

  @Test
  void aQuietAccountSnapshotsEveryConfiguredNumberOfEvents() {
    assertThat(Account.snapshotDue(every - 1, 10, every)).isFalse();
    assertThat(Account.snapshotDue(every, 10, every)).isTrue();
  }

  private static Run simulate(LongUnaryOperator rememberedAfter) {
    long last = 0;
    long written = 0;
    long replayMax = 0;
    int snapshots = 0;
    for (long seq = 1; seq <= events; seq++) {
      int remembered = Math.toIntExact(rememberedAfter.applyAsLong(seq));
      if (Account.snapshotDue(seq - last, remembered, every)) {
        last = seq;
        written += remembered;
        snapshots++;
      }
      replayMax = Math.max(replayMax, seq - last);
    }
    return new Run(snapshots, written, replayMax);
  }
}
