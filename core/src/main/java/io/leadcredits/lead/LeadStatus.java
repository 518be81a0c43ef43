package io.leadcredits.lead;

/** OPEN until maxClaims are confirmed (FULL) or it expires or is withdrawn (CLOSED). */
public enum LeadStatus {
  OPEN,
  FULL,
  CLOSED
}
