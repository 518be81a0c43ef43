package io.leadcredits.refund;

/** PENDING, then exactly one of APPROVED or REJECTED; both are final. */
public enum RefundStatus {
  PENDING,
  APPROVED,
  REJECTED
}
