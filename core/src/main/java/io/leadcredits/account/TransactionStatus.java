package io.leadcredits.account;

/**
 * How a transaction ended: written to the journal, refused by a rule (nothing written), or not
 * written because the engine could not (overloaded, journal unreachable, a write that failed).
 */
public enum TransactionStatus {
  SUCCESS,
  REJECTED,
  FAILED
}
