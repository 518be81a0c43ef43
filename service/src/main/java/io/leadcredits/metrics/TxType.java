package io.leadcredits.metrics;

/** The kinds of account transaction, as the audit trail and the metrics name them. */
public enum TxType {
  CREDIT,
  DEBIT,
  RESERVE,
  CAPTURE,
  RELEASE,
  EXPIRE;

  private static final TxType[] all = values();

  /** The type of an audit trail entry ({@code AccountEvent.type()}). */
  public static TxType of(String auditType) {
    for (TxType t : all) {
      if (t.name().equals(auditType)) {
        return t;
      }
    }
    throw new IllegalArgumentException("not a transaction type: " + auditType);
  }
}
