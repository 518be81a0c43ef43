package io.leadcredits.lead;

import io.leadcredits.Ids;
import io.leadcredits.Limits;
import io.leadcredits.Rejection;
import io.leadcredits.lead.LeadDecision.Accept;
import io.leadcredits.lead.LeadDecision.AlreadyWon;
import io.leadcredits.lead.LeadDecision.Confirm;
import io.leadcredits.lead.LeadDecision.OnClaim;
import io.leadcredits.lead.LeadDecision.OnLead;
import io.leadcredits.lead.LeadDecision.OnPayment;
import io.leadcredits.lead.LeadDecision.Reject;
import io.leadcredits.lead.LeadDecision.Release;
import io.leadcredits.lead.LeadDecision.TakeSlot;
import io.leadcredits.lead.LeadDecision.Underway;
import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadEvent.LeadClosed;
import io.leadcredits.lead.LeadEvent.LeadCreated;
import io.leadcredits.lead.LeadEvent.SlotReleased;
import io.leadcredits.lead.LeadEvent.SlotTaken;
import io.leadcredits.lead.LeadState.Confirmed;
import io.leadcredits.lead.LeadState.Pending;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rulebook of one lead: every decision on a lead command, from the state, the command's data,
 * the time and the limits, with no actor, journal or clock behind it, so replaying it is
 * deterministic and tests need no actor system. Each operation is one ladder of checks in the order
 * written, the first that fails deciding the refusal; past the last check the command succeeds.
 */
public final class LeadRules {

  /** The most claims a lead may sell: its state is copied whole on every change. */
  public static final int maxClaimsLimit = Limits.claimsPerLeadMax;

  private final String leadId;
  // Built once per lead: the hundreds of tradies who arrive after the last slot went are all
  // refused with the same text, and a rush should not build it for each of them.
  private final Reject noLead;
  private final Reject closed;
  private final Reject full;

  public LeadRules(String leadId) {
    this.leadId = Objects.requireNonNull(leadId);
    this.noLead = new Reject(Rejection.NOT_FOUND, "no lead " + leadId);
    this.closed = new Reject(Rejection.LEAD_CLOSED, "lead " + leadId + " is closed");
    this.full = new Reject(Rejection.LEAD_FULL, "lead " + leadId + " has no slot left");
  }

  /**
   * Publishes the lead. The same terms again are a repeat, answered as the first; an existing lead
   * is compared before the terms are validated, so any other terms are a conflict. In order:
   * IDEMPOTENCY_CONFLICT, repeat, INVALID_REQUEST (cost, slots, slot limit, expiry).
   */
  public OnLead create(
      LeadState state, long creditCost, int maxClaims, Instant expiresAt, Instant now) {
    if (state.created() && !hasTerms(state, creditCost, maxClaims, expiresAt)) {
      return new Reject(
          Rejection.IDEMPOTENCY_CONFLICT, "lead " + leadId + " exists with other terms");
    }
    if (state.created()) {
      return new Accept(List.of(), true);
    }
    if (creditCost < 1) {
      return invalidTerms();
    }
    if (maxClaims < 1) {
      return invalidTerms();
    }
    if (maxClaims > maxClaimsLimit) {
      return invalidTerms();
    }
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      return invalidTerms();
    }
    // From here the command succeeds.
    return new Accept(List.of(new LeadCreated(creditCost, maxClaims, expiresAt, now)), false);
  }

  /** Reads the lead; only a lead never created is refused. */
  public OnLead read(LeadState state) {
    if (!state.created()) {
      return noLead;
    }
    // From here the command succeeds.
    return new Accept(List.of(), false);
  }

  /** Withdraws the lead; closing it again is a repeat. Claims under way still finish. */
  public OnLead close(LeadState state, Instant now) {
    if (!state.created()) {
      return noLead;
    }
    if (state.closedAt() != null) {
      return new Accept(List.of(), true);
    }
    // From here the command succeeds.
    return new Accept(List.of(new LeadClosed(now)), false);
  }

  /**
   * A tradie claims a slot. A tradie who won, or whose claim is being paid, is answered with that
   * claim even once the lead is full or closed, since a retried claim is the same claim. Pending
   * slots count against maxClaims like confirmed ones, so the lead never sells more than it has. In
   * order: NOT_FOUND, already won, under way, LEAD_CLOSED, LEAD_FULL.
   */
  public OnClaim claim(LeadState state, String tradieId, Instant now) {
    if (!state.created()) {
      return noLead;
    }
    Optional<Confirmed> won = state.confirmedFor(tradieId);
    if (won.isPresent()) {
      return new AlreadyWon(won.get());
    }
    Pending underway = state.pending().get(tradieId);
    if (underway != null) {
      return new Underway(underway);
    }
    // A lead sold out says full even once closed: its status puts FULL before CLOSED.
    if (state.statusAt(now) == LeadStatus.CLOSED) {
      return closed;
    }
    if (state.slotsTaken() >= state.maxClaims()) {
      return full;
    }
    // From here the claim succeeds: it takes a slot.
    return new TakeSlot(new SlotTaken(Ids.claimId(leadId, tradieId), tradieId, now));
  }

  /**
   * Claims that arrive together, decided in order, each against the state with the slots taken
   * before it in the batch, so they can share one write and still never oversell.
   */
  public List<OnClaim> claimAll(LeadState state, List<String> tradieIds, Instant now) {
    List<OnClaim> decisions = new ArrayList<>(tradieIds.size());
    LeadState folded = state;
    for (String tradieId : tradieIds) {
      OnClaim decision = claim(folded, tradieId, now);
      if (decision instanceof TakeSlot take) {
        folded = folded.apply(take.event());
      }
      decisions.add(decision);
    }
    return decisions;
  }

  /**
   * The account took the claim's payment: the claim is confirmed at the lead's price, also on a
   * lead closed since its slot was taken. A report for a slot no longer held (confirmed or given
   * back already, by an earlier process of the same claim) is refused.
   */
  public OnPayment confirm(LeadState state, String claimId, long balanceAfter, Instant now) {
    Optional<Pending> held = state.pendingByClaim(claimId);
    if (held.isEmpty()) {
      return noSlot(claimId);
    }
    // From here the command succeeds.
    Pending slot = held.get();
    return new Confirm(
        new ClaimConfirmed(claimId, slot.tradieId(), state.creditCost(), balanceAfter, now));
  }

  /**
   * The account refused the claim's payment: the slot is free again and nothing was charged. A
   * report for a slot no longer held is refused, as for {@link #confirm}.
   */
  public OnPayment release(LeadState state, String claimId, Rejection reason, Instant now) {
    Optional<Pending> held = state.pendingByClaim(claimId);
    if (held.isEmpty()) {
      return noSlot(claimId);
    }
    // From here the command succeeds.
    return new Release(new SlotReleased(claimId, held.get().tradieId(), reason, now));
  }

  private static Reject noSlot(String claimId) {
    return new Reject(Rejection.NOT_FOUND, "no slot held for claim " + claimId);
  }

  private static boolean hasTerms(
      LeadState state, long creditCost, int maxClaims, Instant expiresAt) {
    return state.creditCost() == creditCost
        && state.maxClaims() == maxClaims
        && Objects.equals(state.expiresAt(), expiresAt);
  }

  private static Reject invalidTerms() {
    return new Reject(Rejection.INVALID_REQUEST, "invalid lead terms");
  }
}
