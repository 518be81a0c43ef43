package io.leadcredits.baseline;

import io.leadcredits.lead.LeadState;
import io.leadcredits.lead.LeadStatus;
import io.leadcredits.lead.LeadView;
import java.time.Instant;
import java.util.List;

/**
 * A lead as the sql baseline's functions return it: its counters and its confirmed claims. A claim
 * there is confirmed and paid in one transaction, so the actor's event sequence for it is always
 * created, (slot taken, confirmed) per claim, closed: the version counts those events.
 */
record LeadRow(
    String leadId,
    long creditCost,
    int maxClaims,
    int claims,
    Instant expiresAt,
    Instant closedAt,
    List<LeadView.ClaimView> claimList) {

  LeadRow {
    claimList = List.copyOf(claimList);
  }

  long version() {
    return 1L + 2L * claims + (closedAt == null ? 0 : 1);
  }

  LeadStatus statusAt(Instant now) {
    return LeadState.statusOf(claims, maxClaims, expiresAt, closedAt, now);
  }

  LeadView view(Instant now) {
    return new LeadView(
        leadId, creditCost, maxClaims, statusAt(now), claimList, expiresAt, version());
  }
}
