package io.leadcredits.account;

import org.apache.pekko.serialization.Serialization;

/**
 * Where an entity that takes its own snapshots hands them over. Pekko stashes an entity's commands
 * while its snapshot is stored; an account remembers a day of transaction ids, so its snapshot
 * grows with its traffic, and a hot account stood still for most of a second at each one. The
 * account keeps its state immutable, so a snapshot can be serialized and stored beside it while it
 * goes on.
 */
public interface SnapshotWriter {

  /**
   * Stores {@code state} as the snapshot of {@code persistenceId} at {@code sequenceNr}, where
   * Pekko's snapshot store reads it on recovery, then forgets the older ones. Returns at once; the
   * work happens in the background. {@code state} must not change afterwards.
   */
  void save(String persistenceId, long sequenceNr, Object state, Serialization serialization);

  /**
   * No writer: the entity leaves its snapshots to Pekko's snapshot store, which holds its commands
   * while one is stored. For the entity tests, whose testkit brings its own snapshot store.
   */
  SnapshotWriter INLINE =
      (persistenceId, sequenceNr, state, serialization) -> {
        throw new UnsupportedOperationException("snapshots are taken by Pekko");
      };
}
