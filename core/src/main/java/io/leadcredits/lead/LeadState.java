package io.leadcredits.lead;

import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadEvent.LeadClosed;
import io.leadcredits.lead.LeadEvent.LeadCreated;
import io.leadcredits.lead.LeadEvent.SlotReleased;
import io.leadcredits.lead.LeadEvent.SlotTaken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lead's state, the fold of its events. Slots held by claims being paid ({@code pending}) count
 * against maxClaims like confirmed ones, so a lead never sells more than maxClaims. Small by
 * construction (maxClaims is at most 1,000), so plain immutable copies are cheap.
 */
public record LeadState(
    boolean created,
    long creditCost,
    int maxClaims,
    Instant expiresAt,
    Instant closedAt,
    Map<String, Pending> pending,
    List<Confirmed> confirmed,
    long version)
    implements io.leadcredits.JsonSerializable {

  /** A slot held for a tradie whose payment is under way. Keyed by tradie id. */
  public record Pending(String claimId, String tradieId, Instant at) {}

  public record Confirmed(
      String claimId, String tradieId, long creditsUsed, long balanceAfter, Instant at) {
    static Confirmed of(ClaimConfirmed c) {
      return new Confirmed(c.claimId(), c.tradieId(), c.creditsUsed(), c.balanceAfter(), c.at());
    }
  }

  public LeadState {
    pending = Map.copyOf(pending);
    confirmed = List.copyOf(confirmed);
  }

  public static LeadState empty() {
    return new LeadState(false, 0, 0, null, null, Map.of(), List.of(), 0);
  }

  public LeadStatus statusAt(Instant now) {
    return statusOf(confirmed.size(), maxClaims, expiresAt, closedAt, now);
  }

  /**
   * The status of a lead with {@code confirmed} claims: full once every slot is confirmed, which
   * wins over closed; closed once withdrawn or past its expiry; else open. On its own for an engine
   * that reads a lead's counters without its claims (the sql baseline).
   */
  public static LeadStatus statusOf(
      int confirmed, int maxClaims, Instant expiresAt, Instant closedAt, Instant now) {
    if (confirmed >= maxClaims) {
      return LeadStatus.FULL;
    }
    if (closedAt != null || (expiresAt != null && !expiresAt.isAfter(now))) {
      return LeadStatus.CLOSED;
    }
    return LeadStatus.OPEN;
  }

  public int slotsTaken() {
    return pending.size() + confirmed.size();
  }

  public Optional<Confirmed> confirmedFor(String tradieId) {
    return confirmed.stream().filter(c -> c.tradieId().equals(tradieId)).findFirst();
  }

  public Optional<Pending> pendingByClaim(String claimId) {
    return pending.values().stream().filter(p -> p.claimId().equals(claimId)).findFirst();
  }

  public LeadView view(String leadId, Instant now) {
    List<LeadView.ClaimView> claims = new ArrayList<>();
    for (Confirmed c : confirmed) {
      claims.add(new LeadView.ClaimView(c.tradieId(), c.claimId(), c.at()));
    }
    return new LeadView(leadId, creditCost, maxClaims, statusAt(now), claims, expiresAt, version);
  }

  /** The next state. Throws on an event that could not have come from this state. */
  public LeadState apply(LeadEvent event) {
    long v = version + 1;
    if (event instanceof LeadCreated c) {
      check(!created, "created twice", event);
      return new LeadState(
          true, c.creditCost(), c.maxClaims(), c.expiresAt(), null, Map.of(), List.of(), v);
    }
    check(created, "event before creation", event);
    if (event instanceof SlotTaken t) {
      check(
          !pending.containsKey(t.tradieId()) && confirmedFor(t.tradieId()).isEmpty(),
          "tradie twice",
          event);
      check(slotsTaken() < maxClaims, "more slots than maxClaims", event);
      Map<String, Pending> p = new HashMap<>(pending);
      p.put(t.tradieId(), new Pending(t.claimId(), t.tradieId(), t.at()));
      return new LeadState(true, creditCost, maxClaims, expiresAt, closedAt, p, confirmed, v);
    }
    if (event instanceof ClaimConfirmed c) {
      Pending held = pending.get(c.tradieId());
      check(held != null && held.claimId().equals(c.claimId()), "confirm without slot", event);
      check(c.creditsUsed() == creditCost, "confirmed at another price", event);
      Map<String, Pending> p = new HashMap<>(pending);
      p.remove(c.tradieId());
      List<Confirmed> won = new ArrayList<>(confirmed);
      won.add(Confirmed.of(c));
      return new LeadState(true, creditCost, maxClaims, expiresAt, closedAt, p, won, v);
    }
    if (event instanceof SlotReleased r) {
      Pending held = pending.get(r.tradieId());
      check(held != null && held.claimId().equals(r.claimId()), "release without slot", event);
      Map<String, Pending> p = new HashMap<>(pending);
      p.remove(r.tradieId());
      return new LeadState(true, creditCost, maxClaims, expiresAt, closedAt, p, confirmed, v);
    }
    if (event instanceof LeadClosed c) {
      return new LeadState(
          true,
          creditCost,
          maxClaims,
          expiresAt,
          closedAt == null ? c.at() : closedAt,
          pending,
          confirmed,
          v);
    }
    throw new IllegalStateException("unknown event " + event);
  }

  private static void check(boolean ok, String what, LeadEvent event) {
    if (!ok) {
      throw new IllegalStateException("lead invariant broken (" + what + "): " + event);
    }
  }
}
