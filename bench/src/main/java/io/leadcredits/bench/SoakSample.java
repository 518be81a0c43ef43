package io.leadcredits.bench;

/**
 * One interval of a soak, sampled at its end: the clients' rate and p99 over that interval alone,
 * and, at its end, the service's heap after a full GC, the size of the hot account's newest
 * snapshot and of the journal; then what the journal did in the interval, counted by PostgreSQL, so
 * it does not depend on how fast the machine was: the events written, and the scans of the index
 * that ids no longer in an account's memory are looked up in, with the rows they read (PostgreSQL
 * 16 counts a scan per id asked). {@code minute} counts the intervals from 1. A field is null where
 * it could not be measured or does not apply: the snapshot and the journal on the baselines, which
 * keep neither, the snapshot in a scenario without a hot account, the heap when jcmd could not
 * reach the service.
 */
record SoakSample(
    int minute,
    double throughputPerSecond,
    double p99Ms,
    Long heapAfterGcBytes,
    Long snapshotBytes,
    Long journalBytes,
    Long journalEvents,
    Long lookupScans,
    Long lookupRowsRead) {

  /** Without the journal's counts (the tests of the verdict). */
  SoakSample(
      int minute,
      double throughputPerSecond,
      double p99Ms,
      Long heapAfterGcBytes,
      Long snapshotBytes,
      Long journalBytes) {
    this(
        minute,
        throughputPerSecond,
        p99Ms,
        heapAfterGcBytes,
        snapshotBytes,
        journalBytes,
        null,
        null,
        null);
  }
}
