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
import io.leadcredits.lead.LeadDecision.TooExpensive;
import io.leadcredits.lead.LeadDecision.Underway;
import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadEvent.LeadClosed;
import io.leadcredits.lead.LeadEvent.LeadCreated;
import io.leadcredits.lead.LeadEvent.LeadVoided;
import io.leadcredits.lead.LeadEvent.SlotReleased;
import io.leadcredits.lead.LeadEvent.SlotTaken;
import io.leadcredits.lead.LeadEvent.VoidRefunded;
import io.leadcredits.lead.LeadState.Confirmed;
import io.leadcredits.lead.LeadState.Pending;
import io.leadcredits.pricing.JobSize;
import io.leadcredits.pricing.Price;
import io.leadcredits.pricing.PriceInputs;
import io.leadcredits.pricing.PriceRules;
import io.leadcredits.pricing.PricesInForce;
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
   * What a lead is published with: its own cost ({@code creditCost}), or none when {@code fromList}
   * (then creditCost is 0 and the price list gives the base), its slots, optional expiry, and what
   * the price list prices it by (each optional).
   */
  public record Terms(
      long creditCost,
      int maxClaims,
      Instant expiresAt,
      String category,
      String region,
      JobSize jobSize,
      boolean fromList) {

    /** A lead at its own fixed price. */
    public static Terms fixed(long creditCost, int maxClaims, Instant expiresAt) {
      return new Terms(creditCost, maxClaims, expiresAt, null, null, null, false);
    }

    /**
     * A lead with what the price list prices it by; {@code creditCost} 0 for none of its own (the
     * list gives the base).
     */
    public static Terms of(
        long creditCost,
        int maxClaims,
        Instant expiresAt,
        String category,
        String region,
        JobSize jobSize) {
      return new Terms(
          creditCost, maxClaims, expiresAt, category, region, jobSize, creditCost == 0);
    }
  }

  /**
   * Publishes a lead at its own fixed price, as {@link #create(LeadState, Terms, boolean,
   * Instant)}.
   */
  public OnLead create(
      LeadState state, long creditCost, int maxClaims, Instant expiresAt, Instant now) {
    return create(state, Terms.fixed(creditCost, maxClaims, expiresAt), false, now);
  }

  /**
   * Publishes the lead. The same terms again are a repeat, answered as the first; an existing lead
   * is compared before the terms are validated, so any other terms are a conflict. A lead without a
   * cost of its own needs a price list in force ({@code priced}). In order: IDEMPOTENCY_CONFLICT,
   * repeat, INVALID_REQUEST (cost, slots, slot limit, expiry), NO_PRICE_LIST.
   */
  public OnLead create(LeadState state, Terms terms, boolean priced, Instant now) {
    if (state.created() && !hasTerms(state, terms)) {
      return new Reject(
          Rejection.IDEMPOTENCY_CONFLICT, "lead " + leadId + " exists with other terms");
    }
    if (state.created()) {
      return new Accept(List.of(), true);
    }
    if (terms.fromList() ? terms.creditCost() != 0 : terms.creditCost() < 1) {
      return invalidTerms();
    }
    if (terms.maxClaims() < 1) {
      return invalidTerms();
    }
    if (terms.maxClaims() > maxClaimsLimit) {
      return invalidTerms();
    }
    if (terms.expiresAt() != null && !terms.expiresAt().isAfter(now)) {
      return invalidTerms();
    }
    if (terms.fromList() && !priced) {
      return new Reject(
          Rejection.NO_PRICE_LIST,
          "lead "
              + leadId
              + " has no creditCost and no price list is in force to price it; give creditCost"
              + " or put a price list in force first");
    }
    // From here the command succeeds.
    return new Accept(
        List.of(
            new LeadCreated(
                terms.creditCost(),
                terms.maxClaims(),
                terms.expiresAt(),
                now,
                terms.category(),
                terms.region(),
                terms.jobSize())),
        false);
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

  /** The longest reason a void is given. */
  public static final int voidReasonMax = Limits.reasonLengthMax;

  /**
   * Voids the lead: no claim from now on, and every confirmed claim is owed a full refund (the
   * shell drives them). Claims whose payment is under way finish (their debit may already be taken)
   * and, once confirmed, are refunded like the others. Voiding again is a repeat, whatever its
   * reason. In order: NOT_FOUND, repeat, INVALID_REQUEST (reason blank or longer than {@link
   * #voidReasonMax}).
   */
  public OnLead voidLead(LeadState state, String reason, String by, Instant now) {
    if (!state.created()) {
      return noLead;
    }
    if (state.voided() != null) {
      return new Accept(List.of(), true);
    }
    if (reason == null
        || reason.isBlank()
        || reason.codePointCount(0, reason.length()) > voidReasonMax) {
      return new Reject(
          Rejection.INVALID_REQUEST,
          "a void needs a reason of 1.." + voidReasonMax + " characters");
    }
    // From here the command succeeds.
    return new Accept(List.of(new LeadVoided(reason, by, now, state.confirmed().size())), false);
  }

  /**
   * The refund of a voided lead's confirmed claim was credited: recorded once. Nothing for a claim
   * not owed one (recorded already, or not a confirmed claim of a voided lead).
   */
  public List<LeadEvent> voidRefunded(LeadState state, String claimId, Instant now) {
    boolean owed = state.refundsOwed().stream().anyMatch(c -> c.claimId().equals(claimId));
    return owed ? List.of(new VoidRefunded(claimId, now)) : List.of();
  }

  /**
   * A tradie's claim as the lead prices it: the tradie's {@code tier} (null: none) and the most
   * they will pay ({@code maxCost}, {@link Long#MAX_VALUE}: no bound).
   */
  public record Ask(String tradieId, String tier, long maxCost) {

    /** A claim without a tier or a bound, as engines without price lists make. */
    public static Ask of(String tradieId) {
      return new Ask(tradieId, null, Long.MAX_VALUE);
    }
  }

  /**
   * A claim at the lead's own cost, without a price list, as {@link #claim(LeadState, Ask,
   * PricesInForce, Instant)}.
   */
  public OnClaim claim(LeadState state, String tradieId, Instant now) {
    return claim(state, Ask.of(tradieId), PricesInForce.NONE, now);
  }

  /**
   * A tradie claims a slot. A tradie who won, or whose claim is being paid, is answered with that
   * claim even once the lead is full or closed, since a retried claim is the same claim: it is
   * never priced again. Pending slots count against maxClaims like confirmed ones, so the lead
   * never sells more than it has. The price is fixed here, by {@code prices} with the slots taken
   * so far, and travels with the slot. In order: NOT_FOUND, LEAD_CLOSED (voided), already won,
   * under way, LEAD_CLOSED, LEAD_FULL, NO_PRICE_LIST or INVALID_REQUEST (the lead cannot be
   * priced), PRICE_ABOVE_MAX.
   */
  public OnClaim claim(LeadState state, Ask ask, PricesInForce prices, Instant now) {
    if (!state.created()) {
      return noLead;
    }
    // A voided lead sells nothing, and its claims are being refunded: every claim is refused.
    if (state.voided() != null) {
      return closed;
    }
    String tradieId = ask.tradieId();
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
    PriceInputs inputs = state.priceInputs(ask.tier());
    PriceRules.Outcome outcome = PriceRules.price(prices, inputs);
    if (outcome instanceof PriceRules.Unpriced u) {
      return new Reject(
          prices.any() ? Rejection.INVALID_REQUEST : Rejection.NO_PRICE_LIST, u.detail());
    }
    Price price = ((PriceRules.Priced) outcome).price();
    if (price.creditCost() > ask.maxCost()) {
      return new TooExpensive(price, ask.maxCost());
    }
    // From here the claim succeeds: it takes a slot at this price.
    return new TakeSlot(
        new SlotTaken(
            Ids.claimId(leadId, tradieId),
            tradieId,
            now,
            price.creditCost(),
            price.pricingVersion(),
            ask.tier(),
            inputs.claimsTaken()),
        price);
  }

  /**
   * Claims that arrive together, decided in order, each against the state with the slots taken
   * before it in the batch, so they can share one write and still never oversell.
   */
  public List<OnClaim> claimAll(LeadState state, List<String> tradieIds, Instant now) {
    return claimAll(state, tradieIds.stream().map(Ask::of).toList(), PricesInForce.NONE, now);
  }

  /**
   * Claims that arrive together, decided in order, each against the state with the slots taken
   * before it in the batch (so each is priced with the competition before it), so they can share
   * one write and still never oversell. Every claim of the batch is priced by the same {@code
   * prices}.
   */
  public List<OnClaim> claimAll(
      LeadState state, List<Ask> asks, PricesInForce prices, Instant now) {
    List<OnClaim> decisions = new ArrayList<>(asks.size());
    LeadState folded = state;
    for (Ask ask : asks) {
      OnClaim decision = claim(folded, ask, prices, now);
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
        new ClaimConfirmed(
            claimId, slot.tradieId(), slot.creditCost(), balanceAfter, now, slot.pricingVersion()));
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

  private static boolean hasTerms(LeadState state, Terms terms) {
    return state.creditCost() == terms.creditCost()
        && state.maxClaims() == terms.maxClaims()
        && Objects.equals(state.expiresAt(), terms.expiresAt())
        && Objects.equals(state.category(), terms.category())
        && Objects.equals(state.region(), terms.region())
        && state.jobSize() == terms.jobSize();
  }

  private static Reject invalidTerms() {
    return new Reject(Rejection.INVALID_REQUEST, "invalid lead terms");
  }
}
