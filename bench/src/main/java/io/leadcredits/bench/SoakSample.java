package io.leadcredits.bench;

/**
 * One interval of a soak, sampled at its end: the clients' rate and p99 over that interval alone,
 * and, at its end, the service's heap after a full GC, the size of the hot account's newest
 * snapshot and of the journal. {@code minute} counts the intervals from 1. A field is null where it
 * could not be measured or does not apply: the snapshot and the journal on the baselines, which
 * keep neither, the snapshot in a scenario without a hot account, the heap when jcmd could not
 * reach the service.
 */
record SoakSample(
    int minute,
    double throughputPerSecond,
    double p99Ms,
    Long heapAfterGcBytes,
    Long snapshotBytes,
    Long journalBytes) {}
