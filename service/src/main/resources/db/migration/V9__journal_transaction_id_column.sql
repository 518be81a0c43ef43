-- The look-ups of an account's forgotten transaction ids go through an index over the journal's
-- own adapter_manifest column, where the account's event adapter puts each event's transaction id
-- (account/TransactionIdAdapter), instead of V7's index over the id read from each event's JSON:
-- - PostgreSQL ignores the statistics of an expression indexed by a partial index, so it took
--   every id asked for to match 0.5% of the account's events: with 20 ids it planned parallel
--   workers (60-120 ms a look-up on two cores), with a few hundred a scan of the account's whole
--   journal (seconds on a hot account). A plain column has statistics, and the estimate is right.
-- - Every insert parsed the event's JSON to compute the key; now the key is a column value.
-- Events written before carry no manifest: their ids are copied in from their JSON first.
UPDATE event_journal
   SET adapter_manifest = account_event_transaction_id(event_payload)
 WHERE persistence_id LIKE 'Account|%'
   AND adapter_manifest IS DISTINCT FROM account_event_transaction_id(event_payload);

CREATE INDEX event_journal_account_transactions_by_manifest_idx
  ON event_journal (persistence_id, adapter_manifest)
  WHERE persistence_id LIKE 'Account|%';

DROP INDEX event_journal_account_transactions_idx;
DROP FUNCTION account_event_transaction_id(bytea);
