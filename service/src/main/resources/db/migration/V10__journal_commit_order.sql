-- The event feed reads the journal in an order no late commit can fall behind: each row carries
-- the id of the transaction that wrote it, and the feed shows a row only once every transaction
-- older than its own has ended (pg_snapshot_xmin), in the order (transaction, ordering). Reading by
-- `ordering` alone skips rows: orderings are taken when a row is inserted, not when it commits, so
-- a row with a smaller ordering can become visible after a reader has moved past it.
--
-- The column is filled by its default, so the journal plugin's insert is unchanged and no write
-- is added; rows written before this migration have none and come first (as transaction 0).
ALTER TABLE event_journal ADD COLUMN transaction_xid xid8;
ALTER TABLE event_journal ALTER COLUMN transaction_xid SET DEFAULT pg_current_xact_id();

CREATE INDEX event_journal_feed_idx
  ON event_journal ((COALESCE(transaction_xid, '0'::xid8)), ordering);
