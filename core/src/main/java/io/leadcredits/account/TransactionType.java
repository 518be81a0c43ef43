package io.leadcredits.account;

/**
 * The kinds of account transaction, one per kind of event: what the audit trail shows as an entry's
 * {@code type} and what the metrics count by. The names are stable: the trail, the metrics and the
 * baselines' ledger carry them.
 */
public enum TransactionType {
  CREDIT,
  DEBIT,
  RESERVE,
  CAPTURE,
  RELEASE,
  EXPIRE,
  GRANT_EXPIRED,
  GRANT_VOIDED,
  /** Credits given back for a claim: to the grants its debit spent. */
  REFUND,
  /** Not a movement of credits: the account's alert settings changed (amount 0). */
  ALERTS_CHANGED
}
