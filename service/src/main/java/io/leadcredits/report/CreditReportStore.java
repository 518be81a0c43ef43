package io.leadcredits.report;

import java.sql.SQLException;

/** Where the liability report's read model is kept; {@code persistence} implements it. */
public interface CreditReportStore {
  /**
   * What the read model says as {@code query} asks, read in one snapshot; {@code caughtUp} is left
   * false for the caller to decide.
   */
  CreditReport read(CreditReport.Query query) throws SQLException;
}
