package io.leadcredits.bench;

import io.leadcredits.Ids;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the clients were told, kept to check the service against after the run: per account, every
 * acknowledged change as {@code TYPE:transactionId} with its effect on the balance; per lead, its
 * maxClaims and the tradies whose claims were acknowledged. A request whose outcome the client
 * could not learn (503, timeout, broken connection) is parked as {@link Pending} and re-sent with
 * the same transaction id after the run, as the API tells clients to; an account whose outcome
 * stays unknown is marked uncertain and its balance is not compared.
 */
final class Ledger {
  /** A request whose outcome is unknown, and the account it may have changed. */
  record Pending(String accountId, Op op) {}

  private final Map<String, Map<String, Long>> accounts = new ConcurrentHashMap<>();
  private final Map<String, Integer> leadMaxClaims = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> leadClaims = new ConcurrentHashMap<>();
  private final Set<String> uncertain = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();

  void credit(String accountId, String transactionId, long amount) {
    change(accountId, "CREDIT:" + transactionId, amount);
  }

  void debit(String accountId, String transactionId, long amount) {
    change(accountId, "DEBIT:" + transactionId, -amount);
  }

  void reserve(String accountId, String holdId) {
    change(accountId, "RESERVE:" + holdId, 0);
  }

  void capture(String accountId, String holdId, long amount) {
    change(accountId, "CAPTURE:" + holdId, -amount);
  }

  void lead(String leadId, int maxClaims) {
    leadMaxClaims.put(leadId, maxClaims);
  }

  /** An acknowledged claim: a slot on the lead and a debit of its cost under the claim id. */
  void claim(String leadId, String tradieId, long creditCost) {
    debit(tradieId, Ids.claimId(leadId, tradieId), creditCost);
    leadClaims.computeIfAbsent(leadId, id -> ConcurrentHashMap.newKeySet()).add(tradieId);
  }

  void unknown(String accountId, Op op) {
    pending.add(new Pending(accountId, op));
  }

  /** Takes the parked requests; re-sending them parks again those still unknown. */
  Pending pollPending() {
    return pending.poll();
  }

  void uncertain(String accountId) {
    uncertain.add(accountId);
  }

  Map<String, Map<String, Long>> accounts() {
    return accounts;
  }

  Map<String, Integer> leadMaxClaims() {
    return leadMaxClaims;
  }

  Set<String> claimsOn(String leadId) {
    return leadClaims.getOrDefault(leadId, Set.of());
  }

  boolean isUncertain(String accountId) {
    return uncertain.contains(accountId);
  }

  int uncertainCount() {
    return uncertain.size();
  }

  private void change(String accountId, String key, long delta) {
    accounts.computeIfAbsent(accountId, id -> new ConcurrentHashMap<>()).put(key, delta);
  }
}
