package io.leadcredits.audit;

import java.util.List;

/** The outcome of an invariant check: ok exactly when there are no violations. */
public record AuditReport(
    boolean ok, List<String> violations, long accountsChecked, long leadsChecked) {

  public AuditReport {
    violations = List.copyOf(violations);
  }

  public static AuditReport of(List<String> violations, long accounts, long leads) {
    return new AuditReport(violations.isEmpty(), violations, accounts, leads);
  }
}
