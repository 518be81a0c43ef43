package io.leadcredits.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.leadcredits.testkit.LedgerSnapshot;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.Reply;
import io.leadcredits.testkit.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks after a run. Requests whose outcome the clients could not learn are re-sent with the
 * same transaction id until decided, as the API tells clients to; an account whose outcome stays
 * unknown is uncertain and its balance is not compared. Then the service's own {@code GET
 * /api/audit} must be ok, and the run's {@link OperationLog} checks what the clients were told:
 * every acknowledged transaction appears exactly once in its account's trail; every balance is what
 * the acknowledged changes imply (and the trail's last balanceAfter); every lead has at most
 * maxClaims claims, including every claim a client was told it won. Then what the scenario's
 * workload knows (hot-lead: every lead rushed by enough funded tradies is full) and the bodies its
 * reads were answered with (balance-read).
 */
final class ClientChecks {
  /** The audit reads the whole journal; give it room on a large run. */
  private static final Duration auditTimeout = Duration.ofMinutes(5);

  private static final int resendRoundsMax = 5;

  /** Rounds of re-sends, each request answered or timed out within seconds. */
  private static final Duration resendDeadline = Duration.ofMinutes(5);

  private static final int problemsKeptMax = 10;

  /**
   * The verdict: {@code problems} lists the first violations found, if any; {@code unresolved} the
   * operations whose outcome stayed unknown after every re-send (their accounts, {@code
   * uncertainAccounts}, are left out of the balance check, and only they); {@code bodiesChecked}
   * the bodies of reads checked as they arrived.
   */
  record Verdict(
      boolean auditOk,
      List<String> problems,
      long accountsChecked,
      long leadsChecked,
      int uncertainAccounts,
      List<String> unresolved,
      long bodiesChecked) {

    Verdict(
        boolean auditOk,
        List<String> problems,
        long accountsChecked,
        long leadsChecked,
        int uncertainAccounts) {
      this(auditOk, problems, accountsChecked, leadsChecked, uncertainAccounts, List.of(), 0);
    }

    boolean holds() {
      return auditOk && problems.isEmpty();
    }
  }

  private final BenchContext c;
  private final Workload workload;

  ClientChecks(BenchContext context, Workload workload) {
    this.c = context;
    this.workload = workload;
  }

  Verdict run() throws Exception {
    OperationLog log = c.log();
    List<OperationLog.Operation> unresolved =
        log.resolveUnknown(c.api(), resendRoundsMax, resendDeadline);
    List<String> problems = new ArrayList<>();
    boolean auditOk = audit(problems);
    // Folded page by page: a soak's hot account has a trail of millions of items.
    OperationLog.Acknowledged acknowledged = log.acknowledged();
    LedgerSnapshot ledger = log.read(c.api(), acknowledged);
    problems.addAll(acknowledged.violations(ledger));
    problems.addAll(workload.check(ledger));
    problems.addAll(c.reads().problems());
    List<String> kept = problems.stream().limit(problemsKeptMax).toList();
    return new Verdict(
        auditOk,
        kept,
        log.accountCount(),
        log.leadCount(),
        log.uncertainAccounts().size(),
        unresolved.stream().limit(problemsKeptMax).map(String::valueOf).toList(),
        c.reads().checked());
  }

  private boolean audit(List<String> problems) throws Exception {
    Reply r = c.api().decided(Request.get("/api/audit", c.tokens().admin()), auditTimeout).get();
    JsonNode body = r.body() == null ? MissingNode.getInstance() : r.body();
    if (r.status() != 200 || !body.path("ok").asBoolean(false)) {
      problems.add("GET /api/audit: " + r.status() + " " + body.path("violations"));
      return false;
    }
    return true;
  }
}
