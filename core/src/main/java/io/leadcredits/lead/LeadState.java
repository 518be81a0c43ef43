package io.leadcredits.lead;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadEvent.LeadClosed;
import io.leadcredits.lead.LeadEvent.LeadCreated;
import io.leadcredits.lead.LeadEvent.LeadVoided;
import io.leadcredits.lead.LeadEvent.SlotReleased;
import io.leadcredits.lead.LeadEvent.SlotTaken;
import io.leadcredits.lead.LeadEvent.VoidRefunded;
import io.leadcredits.pricing.JobSize;
import io.leadcredits.pricing.PriceInputs;
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
    long version,
    String category,
    String region,
    JobSize jobSize,
    Voided voided,
    List<String> refunded)
    implements io.leadcredits.JsonSerializable {

  /**
   * Why, by whom and when the lead was voided; {@code claims} confirmed then. Null for a lead not
   * voided (and in snapshots from before voids).
   */
  public record Voided(String reason, String by, Instant at, int claims) {}

  /**
   * A slot held for a tradie whose payment is under way, at the price fixed when it was taken, by
   * the list of {@code pricingVersion} (0: the lead's own cost) with the tradie's {@code tier} and
   * {@code claimsTaken} slots taken before it. Keyed by tradie id.
   */
  public record Pending(
      String claimId,
      String tradieId,
      Instant at,
      long creditCost,
      long pricingVersion,
      String tier,
      int claimsTaken) {
    @JsonCreator
    public Pending {}

    public Pending(
        String claimId, String tradieId, Instant at, long creditCost, long pricingVersion) {
      this(claimId, tradieId, at, creditCost, pricingVersion, null, 0);
    }
  }

  /** A won claim, with what it paid and what priced it (as its {@link Pending} slot had). */
  public record Confirmed(
      String claimId,
      String tradieId,
      long creditsUsed,
      long balanceAfter,
      Instant at,
      long pricingVersion,
      String tier,
      int claimsTaken) {
    @JsonCreator
    public Confirmed {}

    /** A claim confirmed at the lead's own cost, by no price list. */
    public Confirmed(
        String claimId, String tradieId, long creditsUsed, long balanceAfter, Instant at) {
      this(claimId, tradieId, creditsUsed, balanceAfter, at, 0, null, 0);
    }

    public Confirmed(
        String claimId,
        String tradieId,
        long creditsUsed,
        long balanceAfter,
        Instant at,
        long pricingVersion) {
      this(claimId, tradieId, creditsUsed, balanceAfter, at, pricingVersion, null, 0);
    }

    /** The claim {@code c} confirmed, whose slot was {@code slot}. */
    public static Confirmed of(ClaimConfirmed c, Pending slot) {
      return new Confirmed(
          c.claimId(),
          c.tradieId(),
          c.creditsUsed(),
          c.balanceAfter(),
          c.at(),
          c.pricingVersion(),
          slot.tier(),
          slot.claimsTaken());
    }
  }

  @JsonCreator
  public LeadState {
    if (pending.values().stream().anyMatch(p -> p.creditCost() == 0)) {
      // A snapshot taken before price lists: its slots were taken at the lead's own cost.
      Map<String, Pending> priced = new HashMap<>();
      long cost = creditCost;
      pending.forEach(
          (k, p) ->
              priced.put(
                  k,
                  p.creditCost() != 0
                      ? p
                      : new Pending(
                          p.claimId(),
                          p.tradieId(),
                          p.at(),
                          cost,
                          p.pricingVersion(),
                          p.tier(),
                          p.claimsTaken())));
      pending = priced;
    }
    pending = Map.copyOf(pending);
    confirmed = List.copyOf(confirmed);
    // A snapshot from before voids has no list of refunded claims.
    refunded = refunded == null ? List.of() : List.copyOf(refunded);
  }

  /** A lead not voided, as every lead was before voids. */
  public LeadState(
      boolean created,
      long creditCost,
      int maxClaims,
      Instant expiresAt,
      Instant closedAt,
      Map<String, Pending> pending,
      List<Confirmed> confirmed,
      long version,
      String category,
      String region,
      JobSize jobSize) {
    this(
        created,
        creditCost,
        maxClaims,
        expiresAt,
        closedAt,
        pending,
        confirmed,
        version,
        category,
        region,
        jobSize,
        null,
        List.of());
  }

  /** A lead at its own fixed price, with nothing a price list could price it by. */
  public LeadState(
      boolean created,
      long creditCost,
      int maxClaims,
      Instant expiresAt,
      Instant closedAt,
      Map<String, Pending> pending,
      List<Confirmed> confirmed,
      long version) {
    this(
        created,
        creditCost,
        maxClaims,
        expiresAt,
        closedAt,
        pending,
        confirmed,
        version,
        null,
        null,
        null);
  }

  public static LeadState empty() {
    return new LeadState(false, 0, 0, null, null, Map.of(), List.of(), 0);
  }

  /** What the price list prices a claim on this lead by, for a tradie of {@code tier}, now. */
  public PriceInputs priceInputs(String tier) {
    return new PriceInputs(creditCost, category, region, jobSize, tier, slotsTaken());
  }

  private LeadState with(Instant closed, Map<String, Pending> p, List<Confirmed> c, long v) {
    return new LeadState(
        true,
        creditCost,
        maxClaims,
        expiresAt,
        closed,
        p,
        c,
        v,
        category,
        region,
        jobSize,
        voided,
        refunded);
  }

  private LeadState withVoid(Voided vd, List<String> r, long v) {
    return new LeadState(
        true,
        creditCost,
        maxClaims,
        expiresAt,
        closedAt,
        pending,
        confirmed,
        v,
        category,
        region,
        jobSize,
        vd,
        r);
  }

  /** A voided lead is VOIDED whatever else it is; otherwise as {@link #statusOf}. */
  public LeadStatus statusAt(Instant now) {
    if (voided != null) {
      return LeadStatus.VOIDED;
    }
    return statusOf(confirmed.size(), maxClaims, expiresAt, closedAt, now);
  }

  /**
   * The confirmed claims of a voided lead whose refund is not recorded yet, in the order they were
   * won; none for a lead not voided.
   */
  public List<Confirmed> refundsOwed() {
    if (voided == null) {
      return List.of();
    }
    return confirmed.stream().filter(c -> !refunded.contains(c.claimId())).toList();
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
      claims.add(
          new LeadView.ClaimView(
              c.tradieId(),
              c.claimId(),
              c.at(),
              c.creditsUsed(),
              c.pricingVersion(),
              c.tier(),
              c.claimsTaken()));
    }
    return new LeadView(
        leadId,
        creditCost,
        maxClaims,
        statusAt(now),
        claims,
        expiresAt,
        version,
        category,
        region,
        jobSize);
  }

  /** The next state. Throws on an event that could not have come from this state. */
  public LeadState apply(LeadEvent event) {
    long v = version + 1;
    if (event instanceof LeadCreated c) {
      check(!created, "created twice", event);
      return new LeadState(
          true,
          c.creditCost(),
          c.maxClaims(),
          c.expiresAt(),
          null,
          Map.of(),
          List.of(),
          v,
          c.category(),
          c.region(),
          c.jobSize());
    }
    check(created, "event before creation", event);
    if (event instanceof SlotTaken t) {
      check(
          !pending.containsKey(t.tradieId()) && confirmedFor(t.tradieId()).isEmpty(),
          "tradie twice",
          event);
      check(slotsTaken() < maxClaims, "more slots than maxClaims", event);
      // A slot stored before price lists was taken at the lead's own cost.
      long price = t.creditCost() > 0 ? t.creditCost() : creditCost;
      check(price > 0, "slot without a price", event);
      Map<String, Pending> p = new HashMap<>(pending);
      p.put(
          t.tradieId(),
          new Pending(
              t.claimId(),
              t.tradieId(),
              t.at(),
              price,
              t.pricingVersion(),
              t.tier(),
              t.claimsTaken()));
      return with(closedAt, p, confirmed, v);
    }
    if (event instanceof ClaimConfirmed c) {
      Pending held = pending.get(c.tradieId());
      check(held != null && held.claimId().equals(c.claimId()), "confirm without slot", event);
      check(c.creditsUsed() == held.creditCost(), "confirmed at another price", event);
      Map<String, Pending> p = new HashMap<>(pending);
      p.remove(c.tradieId());
      List<Confirmed> won = new ArrayList<>(confirmed);
      won.add(Confirmed.of(c, held));
      return with(closedAt, p, won, v);
    }
    if (event instanceof SlotReleased r) {
      Pending held = pending.get(r.tradieId());
      check(held != null && held.claimId().equals(r.claimId()), "release without slot", event);
      Map<String, Pending> p = new HashMap<>(pending);
      p.remove(r.tradieId());
      return with(closedAt, p, confirmed, v);
    }
    if (event instanceof LeadClosed c) {
      return with(closedAt == null ? c.at() : closedAt, pending, confirmed, v);
    }
    if (event instanceof LeadVoided d) {
      check(voided == null, "voided twice", event);
      return withVoid(new Voided(d.reason(), d.by(), d.at(), d.claims()), refunded, v);
    }
    if (event instanceof VoidRefunded r) {
      check(voided != null, "refund of a lead not voided", event);
      check(
          confirmed.stream().anyMatch(c -> c.claimId().equals(r.claimId())),
          "refund of a claim not confirmed",
          event);
      check(!refunded.contains(r.claimId()), "refunded twice", event);
      List<String> done = new ArrayList<>(refunded);
      done.add(r.claimId());
      return withVoid(voided, done, v);
    }
    throw new IllegalStateException("unknown event " + event);
  }

  private static void check(boolean ok, String what, LeadEvent event) {
    if (!ok) {
      throw new IllegalStateException("lead invariant broken (" + what + "): " + event);
    }
  }
}
