package io.leadcredits.client;

import static io.leadcredits.client.Transport.query;
import static io.leadcredits.client.Transport.segment;

import io.leadcredits.client.Transport.Call;
import io.leadcredits.client.model.Claim;
import io.leadcredits.client.model.Lead;
import io.leadcredits.client.model.LeadList;
import io.leadcredits.client.model.NewLead;
import io.leadcredits.client.model.Quote;

/**
 * Leads: created by an admin, claimed by tradies. A claim is the same claim however often it is
 * sent (one per tradie and lead), so it is retried like any idempotent call.
 */
public final class Leads {
  private final Transport transport;

  Leads(Transport transport) {
    this.transport = transport;
  }

  /** Creates the lead; without a lead id, the call's idempotency key names it, on every retry. */
  @Route("POST /api/leads")
  public Lead create(NewLead lead) {
    String key = lead.leadId() == null ? TransactionIds.fresh() : null;
    return transport.call(Call.write("POST", "api/leads", lead, key), Lead.class);
  }

  @Route("GET /api/leads/{leadId}")
  public Lead get(String leadId) {
    return transport.call(Call.read("api/leads/" + segment(leadId)), Lead.class);
  }

  /**
   * The newest leads, of one status ({@code OPEN}, {@code FULL}, {@code CLOSED}, {@code VOIDED}) or
   * all (null).
   */
  @Route("GET /api/leads")
  public LeadList list(String status, int limit) {
    String path = "api/leads?" + query("limit", limit);
    if (status != null) {
      path += "&" + query("status", status);
    }
    return transport.call(Call.read(path), LeadList.class);
  }

  record ClaimBody(long maxCost) {}

  /** Takes a slot of the lead for the calling tradie and debits its price. */
  public Claim claim(String leadId) {
    return transport.call(
        Call.write("POST", "api/leads/" + segment(leadId) + "/claim", null, null), Claim.class);
  }

  /**
   * As {@link #claim(String)}, refused with {@code PRICE_ABOVE_MAX} (nothing taken) when the price
   * at the slot would be above {@code maxCost}.
   */
  @Route("POST /api/leads/{leadId}/claim")
  public Claim claim(String leadId, long maxCost) {
    return transport.call(
        Call.write("POST", "api/leads/" + segment(leadId) + "/claim", new ClaimBody(maxCost), null),
        Claim.class);
  }

  /** What a claim of the calling tradie would cost now, and why. */
  @Route("GET /api/leads/{leadId}/quote")
  public Quote quote(String leadId) {
    return transport.call(Call.read("api/leads/" + segment(leadId) + "/quote"), Quote.class);
  }

  @Route("POST /api/leads/{leadId}/close")
  public Lead close(String leadId) {
    return transport.call(
        Call.write("POST", "api/leads/" + segment(leadId) + "/close", null, null), Lead.class);
  }

  record VoidBody(String reason) {}

  /**
   * Voids the lead (admin): VOIDED, later claims refused, every confirmed claim refunded in full.
   * Voiding again is answered as the first.
   */
  @Route("POST /api/leads/{leadId}/void")
  public Lead voidLead(String leadId, String reason) {
    return transport.call(
        Call.write("POST", "api/leads/" + segment(leadId) + "/void", new VoidBody(reason), null),
        Lead.class);
  }
}
