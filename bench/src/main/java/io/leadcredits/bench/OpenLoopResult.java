package io.leadcredits.bench;

/**
 * One open-loop run: {@code run} holds what the closed-loop runs report (its {@code requests} and
 * outcomes are those of the requests due in the window, its latencies from when each was due), and
 * beside it the rate offered, the rate achieved (answers arriving in the window a second), where
 * the point sits on its engine's curve ({@code percentOfPeak} and {@code peakRate} null for a plain
 * {@code --rate} run), the connections bounding the requests in flight, and the requests due in the
 * window that went out late for want of a free connection or not at all.
 */
record OpenLoopResult(
    RunResult run,
    long offeredRate,
    double achievedRate,
    Integer percentOfPeak,
    Double peakRate,
    int connections,
    long sent,
    long late,
    long unsent,
    double maxSendDelayMs) {

  String scenario() {
    return run.scenario();
  }

  String engine() {
    return run.engine();
  }

  /**
   * Every request due was sent and answered without an error or a timeout, and the checks held: the
   * percentiles describe the offered rate, not a smaller one.
   */
  boolean clean() {
    return unsent == 0 && run.errors() == 0 && run.timeouts() == 0 && run.invariantsHold();
  }
}
