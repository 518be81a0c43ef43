package io.leadcredits.feed;

import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.AccountEvent.AlertsChanged;
import io.leadcredits.account.AccountEvent.Captured;
import io.leadcredits.account.AccountEvent.Credited;
import io.leadcredits.account.AccountEvent.Debited;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.account.AccountEvent.Expired;
import io.leadcredits.account.AccountEvent.GrantExpired;
import io.leadcredits.account.AccountEvent.GrantVoided;
import io.leadcredits.account.AccountEvent.Refunded;
import io.leadcredits.account.AccountEvent.Released;
import io.leadcredits.account.AccountEvent.Reserved;
import io.leadcredits.account.GrantAmount;
import io.leadcredits.account.GrantTerms;
import io.leadcredits.lead.LeadEvent;
import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadEvent.LeadClosed;
import io.leadcredits.lead.LeadEvent.LeadCreated;
import io.leadcredits.pricing.PricingEvent;
import io.leadcredits.pricing.PricingEvent.PriceListChanged;
import io.leadcredits.pricing.PricingEvent.TierChanged;
import io.leadcredits.refund.RefundEvent;
import io.leadcredits.refund.RefundRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each stored event of an entity announces: an account's every change is one event; a lead
 * announces its creation, each confirmed claim, becoming full and being closed (a slot taken for a
 * payment under way, and given back when the payment was refused, changes nothing outside). One
 * journal row may announce two events (the claim that fills a lead: {@code lead.claimed}, then
 * {@code lead.full}; a change that takes an account below its low-balance threshold: the change,
 * then {@code balance.low}); the cursor's index tells them apart.
 */
public final class FeedEvents {
  private FeedEvents() {}

  /** The subject of an account's events. */
  public static String accountSubject(String accountId) {
    return "accounts/" + accountId;
  }

  /** The subject of the prices' events: the list and the tiers are one entity. */
  public static final String PRICING_SUBJECT = "pricing";

  /** The subject of a refund's events. */
  public static String refundSubject(String refundId) {
    return "refunds/" + refundId;
  }

  /** The subject of a lead's events. */
  public static String leadSubject(String leadId) {
    return "leads/" + leadId;
  }

  /**
   * What a lead's events before the one being announced tell: its maximum of claims and how many
   * are confirmed. A lead's events are few, so a reader folds them from the first.
   */
  public record LeadTally(int maxClaims, int claims) {
    public static final LeadTally NONE = new LeadTally(0, 0);

    public LeadTally after(LeadEvent e) {
      if (e instanceof LeadCreated c) {
        return new LeadTally(c.maxClaims(), 0);
      }
      return e instanceof ClaimConfirmed ? new LeadTally(maxClaims, claims + 1) : this;
    }
  }

  /**
   * The event of an account's change stored at {@code row} as the account's version {@code seq}.
   */
  public static List<FeedEvent> ofAccount(
      String accountId, long seq, AccountEvent event, FeedCursor row) {
    String subject = accountSubject(accountId);
    Entry e = event.entry();
    if (event instanceof AlertsChanged a) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("accountId", accountId);
      data.put("lowBalanceThreshold", a.lowBalanceThreshold());
      return List.of(event(subject, seq, EventTypes.ALERTS_CHANGED, e.at(), row, 0, data));
    }
    String type = accountType(event);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("accountId", accountId);
    data.put("transactionId", e.transactionId());
    data.put("amount", e.amount());
    data.put("balanceBefore", e.balanceBefore());
    data.put("balanceAfter", e.balanceAfter());
    data.put("reservedBefore", e.reservedBefore());
    data.put("reservedAfter", e.reservedAfter());
    data.put("metadata", e.metadata());
    if (event instanceof Reserved r) {
      data.put("holdId", e.transactionId());
      data.put("expiresAt", r.expiresAt());
    } else if (event instanceof Credited c) {
      putGrant(data, e.transactionId(), c.grant());
    } else if (event instanceof Debited d) {
      putGrants(data, d.grants());
    } else if (event instanceof Refunded r) {
      putGrants(
          data, r.grants().stream().map(p -> new GrantAmount(p.grantId(), p.amount())).toList());
    } else if (event instanceof GrantExpired x) {
      data.put("grantId", x.grantId());
    } else if (event instanceof GrantVoided v) {
      data.put("grantId", v.grantId());
      data.put("reason", v.reason());
    } else {
      data.put("holdId", e.transactionId()); // a hold's id is the transaction that took it
      if (event instanceof Captured c) {
        putGrants(data, c.grants());
      }
    }
    FeedEvent change = event(subject, seq, type, e.at(), row, 0, data);
    if (e.lowBalance() == null) {
      return List.of(change);
    }
    // The change took available below the threshold: the alert comes right after it.
    Map<String, Object> low = new LinkedHashMap<>();
    low.put("accountId", accountId);
    low.put("available", e.availableAfter());
    low.put("threshold", e.lowBalance());
    return List.of(change, event(subject, seq, EventTypes.BALANCE_LOW, e.at(), row, 1, low));
  }

  /**
   * The events of a lead's change stored at {@code row} as the lead's version {@code seq}, given
   * the tally of its events before.
   */
  public static List<FeedEvent> ofLead(
      String leadId, long seq, LeadEvent event, LeadTally before, FeedCursor row) {
    String subject = leadSubject(leadId);
    if (event instanceof LeadCreated c) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("leadId", leadId);
      data.put("creditCost", c.creditCost() > 0 ? c.creditCost() : null);
      data.put("maxClaims", c.maxClaims());
      data.put("expiresAt", c.expiresAt());
      data.put("category", c.category());
      data.put("region", c.region());
      data.put("jobSize", c.jobSize() == null ? null : c.jobSize().name());
      return List.of(event(subject, seq, EventTypes.LEAD_CREATED, c.at(), row, 0, data));
    }
    if (event instanceof ClaimConfirmed c) {
      LeadTally after = before.after(c);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("leadId", leadId);
      data.put("tradieId", c.tradieId());
      data.put("claimId", c.claimId());
      data.put("creditsUsed", c.creditsUsed());
      data.put("creditCost", c.creditsUsed());
      data.put("pricingVersion", c.pricingVersion() > 0 ? c.pricingVersion() : null);
      data.put("claims", after.claims());
      data.put("maxClaims", after.maxClaims());
      FeedEvent claimed = event(subject, seq, EventTypes.LEAD_CLAIMED, c.at(), row, 0, data);
      if (after.claims() < after.maxClaims()) {
        return List.of(claimed);
      }
      Map<String, Object> full = new LinkedHashMap<>();
      full.put("leadId", leadId);
      full.put("claims", after.claims());
      full.put("maxClaims", after.maxClaims());
      return List.of(claimed, event(subject, seq, EventTypes.LEAD_FULL, c.at(), row, 1, full));
    }
    if (event instanceof LeadClosed c) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("leadId", leadId);
      return List.of(event(subject, seq, EventTypes.LEAD_CLOSED, c.at(), row, 0, data));
    }
    if (event instanceof LeadEvent.LeadVoided v) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("leadId", leadId);
      data.put("reason", v.reason());
      data.put("voidedBy", v.by());
      data.put("claims", v.claims());
      return List.of(event(subject, seq, EventTypes.LEAD_VOIDED, v.at(), row, 0, data));
    }
    // SlotTaken, SlotReleased: a payment under way; VoidRefunded: the refund's own events tell it.
    return List.of();
  }

  /**
   * The event of a change of the prices stored as the pricing entity's version {@code seq}: a new
   * list in force ({@code pricing.changed}) or a tradie's new tier ({@code pricing.tier-changed}).
   */
  public static List<FeedEvent> ofPricing(long seq, PricingEvent event, FeedCursor row) {
    Map<String, Object> data = new LinkedHashMap<>();
    String type;
    if (event instanceof PriceListChanged c) {
      type = EventTypes.PRICING_CHANGED;
      data.put("version", c.version());
      data.put("previousVersion", c.previousVersion() > 0 ? c.previousVersion() : null);
      data.put("changedBy", c.by());
      data.put("document", c.list().document());
    } else {
      TierChanged t = (TierChanged) event;
      type = EventTypes.TIER_CHANGED;
      data.put("tradieId", t.tradieId());
      data.put("tier", t.tier());
      data.put("previousTier", t.previousTier());
      data.put("changedBy", t.by());
    }
    return List.of(event(PRICING_SUBJECT, seq, type, event.at(), row, 0, data));
  }

  /**
   * The event of a refund's change stored as its version {@code seq}: asked for, approved or
   * rejected. Its credit is announced by the account ({@code credit.credited} with the refund id as
   * its transaction id), so {@code RefundCredited} announces nothing here.
   */
  public static List<FeedEvent> ofRefund(
      String refundId, long seq, RefundEvent event, FeedCursor row) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("refundId", refundId);
    data.put("claimId", RefundRules.claimIdOf(refundId));
    String type;
    if (event instanceof RefundEvent.RefundRequested r) {
      type = EventTypes.REFUND_REQUESTED;
      data.put("leadId", r.claim().leadId());
      data.put("tradieId", r.claim().tradieId());
      data.put("amount", r.claim().pricePaid());
      data.put("reason", r.reason().name());
      data.put("note", r.note());
      data.put("flagged", r.flagged());
    } else if (event instanceof RefundEvent.RefundApproved a) {
      type = EventTypes.REFUND_APPROVED;
      data.put("amount", a.amount());
      data.put("note", a.note());
      data.put("decidedBy", a.by());
      data.put("leadVoided", a.leadVoided());
    } else if (event instanceof RefundEvent.RefundRejected r) {
      type = EventTypes.REFUND_REJECTED;
      data.put("note", r.note());
      data.put("decidedBy", r.by());
    } else {
      return List.of();
    }
    return List.of(event(refundSubject(refundId), seq, type, event.at(), row, 0, data));
  }

  /** A top-up's grant: its id is the transaction id; stored before grants, it has none. */
  private static void putGrant(Map<String, Object> data, String grantId, GrantTerms terms) {
    if (terms == null) {
      return;
    }
    data.put("grantId", grantId);
    data.put("category", terms.category().json());
    data.put("expiresAt", terms.expiresAt());
    data.put("priority", terms.priority());
    if (terms.price() != null) {
      Map<String, Object> price = new LinkedHashMap<>();
      price.put("amountMinor", terms.price().amountMinor());
      price.put("currency", terms.price().currency());
      data.put("price", price);
    }
  }

  /** What a debit or capture took from each grant; stored before grants, it names none. */
  private static void putGrants(Map<String, Object> data, List<GrantAmount> grants) {
    if (grants == null) {
      return;
    }
    List<Map<String, Object>> list = new ArrayList<>(grants.size());
    for (GrantAmount g : grants) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("grantId", g.grantId());
      item.put("amount", g.amount());
      list.add(item);
    }
    data.put("grants", list);
  }

  private static String accountType(AccountEvent event) {
    if (event instanceof Credited) {
      return EventTypes.CREDITED;
    } else if (event instanceof Debited) {
      return EventTypes.DEBITED;
    } else if (event instanceof Reserved) {
      return EventTypes.RESERVED;
    } else if (event instanceof Captured) {
      return EventTypes.CAPTURED;
    } else if (event instanceof Released) {
      return EventTypes.RELEASED;
    } else if (event instanceof Expired) {
      return EventTypes.EXPIRED;
    } else if (event instanceof GrantExpired) {
      return EventTypes.GRANT_EXPIRED;
    } else if (event instanceof GrantVoided) {
      return EventTypes.GRANT_VOIDED;
    } else if (event instanceof Refunded) {
      // To the account a refund is credit coming in; the refund's own story is refund.approved.
      return EventTypes.CREDITED;
    }
    throw new IllegalArgumentException("an account event the feed does not know: " + event);
  }

  private static FeedEvent event(
      String subject,
      long seq,
      String type,
      Instant at,
      FeedCursor row,
      int index,
      Map<String, Object> data) {
    return new FeedEvent(
        id(subject, seq, type),
        type,
        at,
        subject,
        seq,
        new FeedCursor(row.transaction(), row.ordering(), index),
        data);
  }

  /**
   * The event's id: the same change always has the same id, on every delivery and replay, as it is
   * a digest of what identifies the change (subject, version, type).
   */
  static String id(String subject, long seq, String type) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((subject + "\n" + seq + "\n" + type).getBytes(StandardCharsets.UTF_8));
      return "evt_" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
