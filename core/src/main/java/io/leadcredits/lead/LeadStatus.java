package io.leadcredits.lead;

/**
 * OPEN until maxClaims are confirmed (FULL) or it expires or is withdrawn (CLOSED); VOIDED once an
 * admin voids it, whatever it was.
 */
public enum LeadStatus {
  OPEN,
  FULL,
  CLOSED,
  VOIDED
}
