package io.leadcredits.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadcredits.Ids;
import io.leadcredits.testkit.LedgerSnapshot;
import io.leadcredits.testkit.LedgerSnapshot.TrailEntry;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.OperationLog.Operation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each violation the client-side checks exist to catch, planted in a ledger built by hand, and seen
 * caught; next to it the same ledger without it, seen to pass. No service runs: these are the
 * checks' own logic.
 */
class ClientChecksTest {
  private static final ObjectMapper mapper = new ObjectMapper();

  // ---- balance-read: the bodies read --------------------------------------------------------

  @Test
  void aBalanceBodyOfTheRightAccountAndBalancePasses() {
    assertThat(ReadChecks.balanceProblem("r-1", 100, body("r-1", 100, 100, 0))).isNull();
  }

  @Test
  void aBalanceBodyWithAWrongBalanceIsCaught() {
    assertThat(ReadChecks.balanceProblem("r-1", 100, body("r-1", 99, 99, 0)))
        .contains("balance 99");
    assertThat(ReadChecks.balanceProblem("r-1", 100, body("r-1", 100, 60, 40)))
        .contains("reserved 40");
  }

  @Test
  void anotherAccountsBodyIsCaught() {
    assertThat(ReadChecks.balanceProblem("r-1", 100, body("r-2", 100, 100, 0)))
        .contains("the body is account");
  }

  @Test
  void aBodyThatIsNoAccountIsCaught() {
    assertThat(ReadChecks.balanceProblem("r-1", 100, "oops".getBytes(StandardCharsets.UTF_8)))
        .contains("not JSON");
    assertThat(ReadChecks.balanceProblem("r-1", 100, "[]".getBytes(StandardCharsets.UTF_8)))
        .contains("no account");
    assertThat(ReadChecks.balanceProblem("r-1", 100, null)).contains("no account");
  }

  @Test
  void wrongBodiesAreCountedIntoTheRunsProblemsAndOtherStatusesAreNotBodies() {
    ReadChecks reads = new ReadChecks();
    reads.balance("r-1", 100, 200, body("r-1", 100, 100, 0));
    reads.balance("r-2", 100, 200, body("r-2", 7, 7, 0));
    reads.balance("r-3", 100, 503, null);

    assertThat(reads.checked()).isEqualTo(2);
    assertThat(reads.problems()).singleElement().asString().contains("1 of 2 bodies read");

    ReadChecks clean = new ReadChecks();
    clean.balance("r-1", 100, 200, body("r-1", 100, 100, 0));
    assertThat(clean.problems()).isEmpty();
  }

  // ---- hot-lead: every lead rushed by enough funded tradies is full --------------------------

  @Test
  void aLeadRushedByEnoughFundedTradiesButNotFullIsCaught() {
    List<String> problems =
        HotLeadWorkload.underfilled(
            Map.of("hl-0", 256, "hl-1", 256), Map.of("hl-0", 3, "hl-1", 2), 3);

    assertThat(problems).singleElement().asString().contains("lead hl-1: 2 claims after 256");
  }

  @Test
  void aLeadMissingFromTheServiceCountsAsUnfilled() {
    assertThat(HotLeadWorkload.underfilled(Map.of("hl-0", 3), Map.of(), 3))
        .singleElement()
        .asString()
        .contains("lead hl-0: 0 claims");
  }

  @Test
  void aLeadFewerTradiesWereAnsweredOnNeedNotBeFull() {
    assertThat(HotLeadWorkload.underfilled(Map.of("hl-9", 2), Map.of("hl-9", 2), 3)).isEmpty();
  }

  // ---- the acknowledgements against the ledger (OperationLog.checkAcknowledged) -------------

  @Test
  void aLedgerAgreeingWithTheAcknowledgementsPasses() {
    Planted p = new Planted();
    p.credit("a", "top-up", 100);
    p.debit("a", "d1", 30);

    assertThat(p.check()).isEmpty();
  }

  @Test
  void anAcknowledgedChangeMissingFromTheTrailIsCaught() {
    Planted p = new Planted();
    p.credit("a", "top-up", 100);
    p.log.record(Operation.debit("a", "d1", 30), 200, null); // told done, never in the trail
    p.balances.put("a", 70L);

    assertThat(p.check()).anyMatch(v -> v.contains("d1") && v.contains("0 times"));
  }

  @Test
  void anAcknowledgedChangeTwiceInTheTrailIsCaught() {
    Planted p = new Planted();
    p.credit("a", "top-up", 100);
    p.debit("a", "d1", 30);
    p.entry("a", "d1", "DEBIT", 30); // applied twice

    assertThat(p.check()).anyMatch(v -> v.contains("d1") && v.contains("2 times"));
  }

  @Test
  void aBalanceOtherThanTheAcknowledgedChangesImplyIsCaught() {
    Planted p = new Planted();
    p.credit("a", "top-up", 100);
    p.balances.put("a", 90L);

    assertThat(p.check()).anyMatch(v -> v.contains("balance 90 != acknowledged 100"));
  }

  @Test
  void aBalanceOtherThanItsTrailsLastIsCaught() {
    Planted p = new Planted();
    p.credit("a", "top-up", 100);
    p.balances.put("a", 100L);
    p.trails.get("a").set(0, row("top-up", "CREDIT", 100, 0, 90));

    assertThat(p.check()).anyMatch(v -> v.contains("balance 100 != trail 90"));
  }

  @Test
  void aBalanceWithAnEmptyTrailIsCaught() {
    Planted p = new Planted();
    p.log.record(Operation.debit("a", "d1", 5), 409, "INSUFFICIENT_CREDITS"); // refused: no row
    p.trails.put("a", new ArrayList<>());
    p.balances.put("a", 50L);

    assertThat(p.check()).anyMatch(v -> v.contains("balance 50 != trail 0"));
  }

  @Test
  void aLeadWithMoreThanMaxClaimsIsCaught() {
    Planted p = new Planted();
    p.log.lead("lead", 10, 1);
    p.claimed("lead", "t1", 10, 100);
    p.claimed("lead", "t2", 10, 100);

    assertThat(p.check()).anyMatch(v -> v.contains("lead lead: 2 claims > 1"));
  }

  @Test
  void aClaimToldWonButNotOnTheLeadIsCaught() {
    Planted p = new Planted();
    p.log.lead("lead", 10, 3);
    p.claimed("lead", "t1", 10, 100);
    p.leads.put("lead", lead()); // the lead lost it

    assertThat(p.check()).anyMatch(v -> v.contains("the lead shows claimed=false"));
  }

  @Test
  void anUnresolvedTimeoutLeavesOnlyItsOwnAccountOutOfTheBalanceCheck() {
    Planted p = new Planted();
    p.credit("a", "top-up", 100);
    p.credit("b", "top-up", 100);
    p.log.record(Operation.debit("a", "lost", 30), 0, null); // no answer, never resolved
    p.entry("a", "lost", "DEBIT", -30); // it landed: a's balance is 70, not the acknowledged 100
    p.balances.put("b", 60L); // b had no unknown outcome: a violation

    List<String> problems = p.check();

    assertThat(p.log.uncertainAccounts()).containsExactly("a");
    assertThat(problems).noneMatch(v -> v.startsWith("account a:"));
    assertThat(problems).anyMatch(v -> v.contains("account b: balance 60 != acknowledged 100"));
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A run's log and a ledger snapshot built to match it, into which a violation is planted. */
  private static final class Planted {
    final OperationLog log = new OperationLog();
    final Map<String, Long> balances = new HashMap<>();
    final Map<String, List<TrailEntry>> trails = new HashMap<>();
    final Map<String, JsonNode> leads = new HashMap<>();

    void credit(String account, String id, long amount) {
      log.record(Operation.credit(account, id, amount), 201, null);
      entry(account, id, "CREDIT", amount);
    }

    void debit(String account, String id, long amount) {
      log.record(Operation.debit(account, id, amount), 201, null);
      entry(account, id, "DEBIT", -amount);
    }

    /** A claim the tradie was told it won, in the lead and paid in the tradie's trail. */
    void claimed(String leadId, String tradie, long cost, long funding) {
      if (!trails.containsKey(tradie)) {
        credit(tradie, "fund-" + tradie, funding);
      }
      log.record(Operation.claim(leadId, tradie), 201, null);
      entry(tradie, Ids.claimId(leadId, tradie), "DEBIT", -cost);
      ObjectNode view = (ObjectNode) leads.computeIfAbsent(leadId, id -> lead());
      ((ArrayNode) view.get("claims")).addObject().put("tradieId", tradie);
    }

    /** A trail row moving the balance by {@code delta}, after the account's last. */
    void entry(String account, String id, String type, long delta) {
      List<TrailEntry> trail = trails.computeIfAbsent(account, a -> new ArrayList<>());
      long before = trail.isEmpty() ? 0 : trail.get(trail.size() - 1).balanceAfter();
      trail.add(row(id, type, Math.abs(delta), before, before + delta));
      balances.put(account, before + delta);
    }

    List<String> check() {
      Map<String, JsonNode> accounts = new HashMap<>();
      balances.forEach((a, b) -> accounts.put(a, mapper.createObjectNode().put("balance", b)));
      return log.checkAcknowledged(new LedgerSnapshot(accounts, trails, leads));
    }
  }

  private static ObjectNode lead() {
    ObjectNode lead = mapper.createObjectNode();
    lead.putArray("claims");
    return lead;
  }

  private static TrailEntry row(String id, String type, long amount, long before, long after) {
    return new TrailEntry(id, type, amount, before, after, 0, 0, "2030-01-01T00:00:00Z", Map.of());
  }

  private static byte[] body(String account, long balance, long available, long reserved) {
    return String.format(
            "{\"accountId\":\"%s\",\"balance\":%d,\"reserved\":%d,\"available\":%d,\"holds\":[],"
                + "\"version\":1}",
            account, balance, reserved, available)
        .getBytes(StandardCharsets.UTF_8);
  }
}
