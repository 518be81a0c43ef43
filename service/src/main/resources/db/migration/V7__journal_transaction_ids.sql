-- An account keeps only its newest transaction ids in memory; a repeat of an older id within the
-- idempotency window is answered from the journal, through this index of every account event by
-- (persistence id, transaction id). The id is read from the event's JSON (Pekko's Jackson
-- serializer; account events are a few hundred bytes, far below the 32 KiB past which Pekko
-- compresses a payload, and a payload that is not JSON yields no id instead of failing the write).
-- IMMUTABLE is true of the function: the same bytes always give the same id.
CREATE FUNCTION account_event_transaction_id(payload bytea) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT CASE WHEN get_byte(payload, 0) = 123 -- '{'
      THEN convert_from(payload, 'UTF8')::json -> 'entry' ->> 'transactionId' END
  $$;

CREATE INDEX event_journal_account_transactions_idx
  ON event_journal (persistence_id, account_event_transaction_id(event_payload))
  WHERE persistence_id LIKE 'Account|%';
