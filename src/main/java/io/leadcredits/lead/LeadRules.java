package io.leadcredits.lead;

import io.leadcredits.Rejection;
import io.leadcredits.lead.LeadDecision.Accept;
import io.leadcredits.lead.LeadDecision.OnLead;
import io.leadcredits.lead.LeadDecision.Reject;
import io.leadcredits.lead.LeadEvent.LeadClosed;
import io.leadcredits.lead.LeadEvent.LeadCreated;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The rulebook of one lead: every decision on a lead command, from the state, the command's data,
 * the time and the limits, with no actor, journal or clock behind it, so replaying it is
 * deterministic and tests need no actor system. Each operation is one ladder of checks in the order
 * written, the first that fails deciding the refusal; past the last check the command succeeds.
 */
public final class LeadRules {

  /** The most claims a lead may sell: its state is copied whole on every change. */
  public static final int maxClaimsLimit = 1_000;

  private final String leadId;
  // Built once per lead: a refusal repeats, so its text is not built again each time.
  private final Reject noLead;

  public LeadRules(String leadId) {
    this.leadId = Objects.requireNonNull(leadId);
    this.noLead = new Reject(Rejection.NOT_FOUND, "no lead " + leadId);
  }

  /**
   * Publishes the lead. The same terms again are a repeat, answered as the first; an existing lead
   * is compared before the terms are validated, so any other terms are a conflict.
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
