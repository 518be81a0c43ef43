package io.leadcredits.account;

import org.apache.pekko.persistence.typed.EventAdapter;
import org.apache.pekko.persistence.typed.EventSeq;

/**
 * Names each account event by its transaction id as the journal writes it: the event is stored as
 * it is, and its id goes into the journal's own {@code adapter_manifest} column (the journal plugin
 * writes an event adapter's manifest there). The index the look-ups of forgotten ids go through
 * ({@code V9__journal_transaction_id_column.sql}) is then over a plain column, which PostgreSQL
 * keeps statistics of and fills without reading the event's JSON on every insert. Reading back, the
 * manifest is not needed: the event carries its id.
 */
final class TransactionIdAdapter extends EventAdapter<AccountEvent, AccountEvent> {
  static final TransactionIdAdapter instance = new TransactionIdAdapter();

  private TransactionIdAdapter() {}

  @Override
  public AccountEvent toJournal(AccountEvent event) {
    return event;
  }

  @Override
  public String manifest(AccountEvent event) {
    return event.entry().transactionId();
  }

  @Override
  public EventSeq<AccountEvent> fromJournal(AccountEvent event, String manifest) {
    return EventSeq.single(event);
  }
}
