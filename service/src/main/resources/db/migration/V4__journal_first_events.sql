-- The first event of every journal, one row per entity, by persistence id prefix: what the actor
-- engine's lead list (io.leadcredits.persistence.JournalLeadDirectory) reads to find every lead
-- (`persistence_id LIKE 'Lead|%'`) without scanning the journal. text_pattern_ops lets a LIKE
-- prefix use the index whatever the database's collation. Only an entity's first write touches it.
CREATE INDEX event_journal_first_events_idx
  ON event_journal (persistence_id text_pattern_ops) WHERE sequence_number = 1;
