package io.leadcredits.persistence;

/**
 * Removes snapshots older than the newest one of an entity. Entities that choose their own snapshot
 * moments (instead of Pekko's fixed retention) call it after each snapshot, so the snapshot store
 * holds one snapshot per entity, not one per interval forever.
 */
@FunctionalInterface
public interface SnapshotPruner {

  /** Forgets every snapshot of {@code persistenceId} taken before {@code sequenceNr}. */
  void pruneBefore(String persistenceId, long sequenceNr);

  /** For entities run without a database (the entity tests). */
  SnapshotPruner NONE = (persistenceId, sequenceNr) -> {};
}
