package io.leadcredits.feed;

import java.util.List;

/** The type of every event the feed carries; docs/events.md lists each with its {@code data}. */
public final class EventTypes {
  private EventTypes() {}

  public static final String CREDITED = "credit.credited";
  public static final String DEBITED = "credit.debited";
  public static final String RESERVED = "credit.reserved";
  public static final String CAPTURED = "credit.captured";
  public static final String RELEASED = "credit.released";
  public static final String EXPIRED = "credit.expired";
  public static final String GRANT_EXPIRED = "credit.grant_expired";
  public static final String GRANT_VOIDED = "credit.grant_voided";
  public static final String LEAD_CREATED = "lead.created";
  public static final String LEAD_CLAIMED = "lead.claimed";
  public static final String LEAD_FULL = "lead.full";
  public static final String LEAD_CLOSED = "lead.closed";
  public static final String LEAD_VOIDED = "lead.voided";
  public static final String PRICING_CHANGED = "pricing.changed";
  public static final String TIER_CHANGED = "pricing.tier-changed";
  public static final String REFUND_REQUESTED = "refund.requested";
  public static final String REFUND_APPROVED = "refund.approved";
  public static final String REFUND_REJECTED = "refund.rejected";
  public static final String BALANCE_LOW = "balance.low";
  public static final String ALERTS_CHANGED = "account.alerts_changed";

  public static final List<String> ALL =
      List.of(
          CREDITED,
          DEBITED,
          RESERVED,
          CAPTURED,
          RELEASED,
          EXPIRED,
          GRANT_EXPIRED,
          GRANT_VOIDED,
          LEAD_CREATED,
          LEAD_CLAIMED,
          LEAD_FULL,
          LEAD_CLOSED,
          LEAD_VOIDED,
          PRICING_CHANGED,
          TIER_CHANGED,
          REFUND_REQUESTED,
          REFUND_APPROVED,
          REFUND_REJECTED,
          BALANCE_LOW,
          ALERTS_CHANGED);
}
