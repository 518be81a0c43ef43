package io.leadcredits.bench;

/**
 * PostgreSQL's count of committed transactions in the run's database and the journal's row count at
 * one moment. Two of them bracket a run: events written per second and per commit. Commits include
 * the service's other transactions (reads, the wake-up sweeper), so events per commit is a lower
 * bound on the journal's real batch size.
 */
record JournalCounters(long commits, long events, long atNanos) {
  double eventsPerSecond(JournalCounters later) {
    return (later.events - events) / ((later.atNanos - atNanos) / 1e9);
  }

  double eventsPerCommit(JournalCounters later) {
    long commitsBetween = later.commits - commits;
    return commitsBetween == 0 ? 0 : (double) (later.events - events) / commitsBetween;
  }
}
