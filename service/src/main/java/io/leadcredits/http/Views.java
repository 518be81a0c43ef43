package io.leadcredits.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadcredits.account.AccountView;
import io.leadcredits.account.Grant;
import io.leadcredits.account.GrantAmount;
import io.leadcredits.account.GrantCategory;
import io.leadcredits.account.TransactionType;
import io.leadcredits.audit.AuditReport;
import io.leadcredits.claim.ClaimResult;
import io.leadcredits.engine.ClusterView;
import io.leadcredits.engine.LeadList;
import io.leadcredits.engine.Statement;
import io.leadcredits.engine.TrailPage;
import io.leadcredits.lead.LeadStatus;
import io.leadcredits.lead.LeadView;
import io.leadcredits.pricing.Price;
import io.leadcredits.pricing.PricingReply;
import io.leadcredits.pricing.QuoteReply;
import io.leadcredits.webhook.Delivery;
import io.leadcredits.webhook.WebhookEndpoint;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON bodies of successful responses. The field names are the API contract: change them only
 * together with the contract. Instants are ISO-8601 strings.
 */
public final class Views {
  private Views() {}

  /**
   * {@code {"accountId","balance","reserved","available","holds":[...],"version"}}, and from an
   * engine with grants {@code "grants":[...]} (live, in spending order) and {@code
   * "byCategory":{"paid","promotional"}}.
   */
  public static ObjectNode account(AccountView view) {
    ObjectNode node = balances(view);
    ArrayNode holds = node.putArray("holds");
    for (AccountView.HoldView hold : view.holds()) {
      ObjectNode h = holds.addObject();
      h.put("holdId", hold.holdId());
      h.put("amount", hold.amount());
      h.put("expiresAt", hold.expiresAt().toString());
    }
    node.put("version", view.version());
    if (view.grants() != null) {
      grants(node, view.grants());
      node.put("lowBalanceThreshold", view.lowBalanceThreshold());
    }
    return node;
  }

  /** {@code {"accountId","lowBalanceThreshold"}}: the account's alert settings (0: off). */
  public static ObjectNode alerts(AccountView view) {
    ObjectNode node = Json.object();
    node.put("accountId", view.accountId());
    node.put("lowBalanceThreshold", view.lowBalanceThreshold());
    return node;
  }

  private static void grants(ObjectNode node, AccountView.GrantsView grants) {
    ArrayNode list = node.putArray("grants");
    for (Grant grant : grants.first()) {
      ObjectNode g = list.addObject();
      g.put("grantId", grant.grantId());
      g.put("category", grant.category().json());
      g.put("granted", grant.granted());
      g.put("remaining", grant.remaining());
      g.put("earmarked", grant.earmarked());
      if (grant.expiresAt() == null) {
        g.putNull("expiresAt");
      } else {
        g.put("expiresAt", grant.expiresAt().toString());
      }
      g.put("priority", grant.priority());
      if (grant.createdAt() == null) {
        g.putNull("createdAt");
      } else {
        g.put("createdAt", grant.createdAt().toString());
      }
    }
    if (grants.live() > grants.first().size()) {
      node.put("grantsLive", grants.live()); // the list shows the first ones only
    }
    ObjectNode byCategory = node.putObject("byCategory");
    byCategory.put(GrantCategory.PAID.json(), grants.paid());
    byCategory.put(GrantCategory.PROMOTIONAL.json(), grants.promotional());
  }

  /** {@code {"accountId","balance","reserved","available","version"}}: a change's answer. */
  public static ObjectNode change(AccountView view) {
    return balances(view).put("version", view.version());
  }

  /** The fields every account answer starts with, in the contract's order. */
  private static ObjectNode balances(AccountView view) {
    ObjectNode node = Json.object();
    node.put("accountId", view.accountId());
    node.put("balance", view.balance());
    node.put("reserved", view.reserved());
    node.put("available", view.available());
    return node;
  }

  /**
   * {@link #change} with {@code "holdId"} and, while the hold is open, its {@code "expiresAt"} (a
   * repeated reservation whose hold has ended since has none).
   */
  public static ObjectNode reservation(AccountView view, String holdId) {
    ObjectNode node = change(view).put("holdId", holdId);
    for (AccountView.HoldView hold : view.holds()) {
      if (hold.holdId().equals(holdId)) {
        node.put("expiresAt", hold.expiresAt().toString());
        break;
      }
    }
    return node;
  }

  /**
   * {@code {"leadId","creditCost","maxClaims","status","claims":[...],"version"}}, expiresAt if
   * set.
   */
  public static ObjectNode lead(LeadView view) {
    ObjectNode node = Json.object();
    node.put("leadId", view.leadId());
    if (view.creditCost() > 0) {
      node.put("creditCost", view.creditCost());
    } else {
      node.putNull("creditCost"); // the price list gives the base
    }
    node.put("maxClaims", view.maxClaims());
    node.put("status", view.status().name());
    ArrayNode claims = node.putArray("claims");
    for (LeadView.ClaimView claim : view.claims()) {
      ObjectNode c = claims.addObject();
      c.put("tradieId", claim.tradieId());
      c.put("claimId", claim.claimId());
      c.put("at", claim.at().toString());
      if (claim.creditCost() > 0) { // an engine without prices does not say
        c.put("creditCost", claim.creditCost());
        version(c, claim.pricingVersion());
        c.put("tier", claim.tier());
        c.put("claimsTaken", claim.claimsTaken());
      }
    }
    if (view.expiresAt() != null) {
      node.put("expiresAt", view.expiresAt().toString());
    }
    if (view.category() != null) {
      node.put("category", view.category());
    }
    if (view.region() != null) {
      node.put("region", view.region());
    }
    if (view.jobSize() != null) {
      node.put("jobSize", view.jobSize().name());
    }
    node.put("version", view.version());
    return node;
  }

  /** {@code {"counts":{"OPEN","FULL","CLOSED"},"items":[lead...]}}, items newest first. */
  public static ObjectNode leads(LeadList list) {
    ObjectNode node = Json.object();
    ObjectNode counts = node.putObject("counts");
    for (LeadStatus status : LeadStatus.values()) {
      counts.put(status.name(), list.counts().get(status));
    }
    ArrayNode items = node.putArray("items");
    list.items().forEach(view -> items.add(lead(view)));
    return node;
  }

  /** {@code {"claimId","leadId","tradieId","creditsUsed","balance"}}. */
  public static ObjectNode claim(ClaimResult result) {
    ObjectNode node = Json.object();
    node.put("claimId", result.claimId());
    node.put("leadId", result.leadId());
    node.put("tradieId", result.tradieId());
    node.put("creditsUsed", result.creditsUsed());
    node.put("balance", result.balance());
    node.put("creditCost", result.creditsUsed());
    version(node, result.pricingVersion());
    return node;
  }

  /** {@code {"items":[refund…],"next"}}; next is null on the last page. */
  public static ObjectNode refunds(io.leadcredits.refund.RefundDirectory.Page page) {
    ObjectNode node = Json.object();
    ArrayNode items = node.putArray("items");
    page.items().forEach(r -> items.add(refund(r)));
    node.put("next", page.next());
    return node;
  }

  /** {@code {"items":[{claimId,leadId,creditsUsed,claimedAt,refund}…],"next"}}. */
  public static ObjectNode claims(io.leadcredits.refund.RefundDirectory.ClaimPage page) {
    ObjectNode node = Json.object();
    ArrayNode items = node.putArray("items");
    for (io.leadcredits.refund.RefundDirectory.ClaimItem c : page.items()) {
      ObjectNode item = items.addObject();
      item.put("claimId", c.claimId());
      item.put("leadId", c.leadId());
      item.put("creditsUsed", c.creditsUsed());
      item.put("claimedAt", c.claimedAt().toString());
      if (c.refund() == null) {
        item.putNull("refund");
      } else {
        item.set("refund", refund(c.refund()));
      }
    }
    if (page.next() == null) {
      node.putNull("next");
    } else {
      node.put("next", page.next().toString());
    }
    return node;
  }

  public static ObjectNode refund(io.leadcredits.refund.RefundView r) {
    ObjectNode node = Json.object();
    node.put("refundId", r.refundId());
    node.put("claimId", r.claimId());
    node.put("leadId", r.leadId());
    node.put("tradieId", r.tradieId());
    node.put("amount", r.amount());
    node.put("pricePaid", r.pricePaid());
    node.put("reason", r.reason().name());
    node.put("note", r.note());
    node.put("status", r.status().name());
    node.put("requestedAt", r.requestedAt().toString());
    node.put("flagged", r.flagged());
    node.put("decidedAt", r.decidedAt() == null ? null : r.decidedAt().toString());
    node.put("decidedBy", r.decidedBy());
    node.put("decisionNote", r.decisionNote());
    node.put("credited", r.credited());
    return node;
  }

  /** {@code "pricingVersion"}: the price list's version, or null for a lead's own fixed cost. */
  private static void version(ObjectNode node, long pricingVersion) {
    if (pricingVersion > 0) {
      node.put("pricingVersion", pricingVersion);
    } else {
      node.putNull("pricingVersion");
    }
  }

  /** Adds {@code "creditCost","pricingVersion","breakdown":[{"rule","value"}]} of the price. */
  public static ObjectNode price(ObjectNode node, Price price) {
    node.put("creditCost", price.creditCost());
    version(node, price.pricingVersion());
    ArrayNode steps = node.putArray("breakdown");
    for (Price.Step step : price.breakdown()) {
      steps.addObject().put("rule", step.rule()).put("value", step.value());
    }
    return node;
  }

  /** {@code {"leadId","tradieId","creditCost","pricingVersion","breakdown"}}. */
  public static ObjectNode quote(QuoteReply.Quoted quote) {
    ObjectNode node = Json.object();
    node.put("leadId", quote.leadId());
    node.put("tradieId", quote.tradieId());
    return price(node, quote.price());
  }

  /** The price list's document with {@code "version","changedAt","changedBy"}. */
  public static ObjectNode pricing(PricingReply.PriceListAnswer answer) {
    ObjectNode node = Json.object();
    node.put("version", answer.version());
    node.setAll((ObjectNode) Json.tree(answer.list().document()));
    node.put("changedAt", answer.changedAt().toString());
    node.put("changedBy", answer.changedBy());
    return node;
  }

  /** {@code {"accountId","tier"}}; tier null for none. */
  public static ObjectNode profile(PricingReply.TierAnswer answer) {
    ObjectNode node = Json.object();
    node.put("accountId", answer.tradieId());
    node.put("tier", answer.tier());
    return node;
  }

  /** {@code {"items":[...],"next"}}; next is null on the last page. */
  public static ObjectNode trail(TrailPage page) {
    ObjectNode node = Json.object();
    ArrayNode items = node.putArray("items");
    for (TrailPage.Item item : page.items()) {
      trailItem(items.addObject(), item);
    }
    node.put("next", page.next());
    return node;
  }

  /**
   * {@code {"accountId","from","to","openingBalance","closingBalance","totals":{type:n},
   * "byCategory":{"paid","promotional"},"entries":[…]}}: each entry a trail item with its {@code
   * version} and {@code balanceChange} (what it added to the balance; negative for what it took).
   */
  public static ObjectNode statement(Statement s) {
    ObjectNode node = Json.object();
    node.put("accountId", s.accountId());
    node.put("from", s.from().toString());
    node.put("to", s.to().toString());
    node.put("openingBalance", s.openingBalance());
    node.put("closingBalance", s.closingBalance());
    ObjectNode totals = node.putObject("totals");
    for (TransactionType type : TransactionType.values()) {
      Long total = s.totals().get(type);
      if (total != null) {
        totals.put(type.name(), total);
      }
    }
    node.putObject("byCategory").put("paid", s.paid()).put("promotional", s.promotional());
    ArrayNode entries = node.putArray("entries");
    for (TrailPage.Item item : s.entries()) {
      ObjectNode e = entries.addObject();
      e.put("version", item.version());
      trailItem(e, item);
      e.put("balanceChange", item.balanceAfter() - item.balanceBefore());
    }
    return node;
  }

  private static void trailItem(ObjectNode i, TrailPage.Item item) {
    i.put("transactionId", item.transactionId());
    i.put("type", item.type().name());
    i.put("amount", item.amount());
    i.put("balanceBefore", item.balanceBefore());
    i.put("balanceAfter", item.balanceAfter());
    i.put("reservedBefore", item.reservedBefore());
    i.put("reservedAfter", item.reservedAfter());
    i.put("at", item.at().toString());
    ObjectNode metadata = i.putObject("metadata");
    for (Map.Entry<String, String> entry : item.metadata().entrySet()) {
      metadata.put(entry.getKey(), entry.getValue());
    }
    if (item.grantId() != null) {
      i.put("grantId", item.grantId());
    }
    if (item.grants() != null) {
      ArrayNode grants = i.putArray("grants");
      for (GrantAmount g : item.grants()) {
        grants.addObject().put("grantId", g.grantId()).put("amount", g.amount());
      }
    }
  }

  /** {@code {"ok","violations":[...],"accountsChecked","leadsChecked"}}. */
  public static ObjectNode audit(AuditReport report) {
    ObjectNode node = Json.object();
    node.put("ok", report.ok());
    ArrayNode violations = node.putArray("violations");
    report.violations().forEach(violations::add);
    node.put("accountsChecked", report.accountsChecked());
    node.put("leadsChecked", report.leadsChecked());
    return node;
  }

  /**
   * {@code
   * {"at","asOf":{…},"outstanding":{"paid","promotional"},"paidValue":[{"currency","credits",
   * "amountMinor"}],"paidCreditsWithoutPrice","period":{"from","to","expired":{…},"voided":{…}},
   * "expiring":{"until","paid","promotional"}}}.
   */
  public static ObjectNode creditReport(io.leadcredits.report.CreditReport r) {
    ObjectNode node = Json.object();
    node.put("at", r.at().toString());
    ObjectNode asOf = node.putObject("asOf");
    if (r.asOf().lastEventAt() == null) {
      asOf.putNull("lastEventAt");
    } else {
      asOf.put("lastEventAt", r.asOf().lastEventAt().toString());
    }
    asOf.put("lastEventId", r.asOf().lastEventId());
    asOf.put("cursor", r.asOf().cursor());
    asOf.put("eventsApplied", r.asOf().eventsApplied());
    asOf.put("caughtUp", r.asOf().caughtUp());
    byCategory(node.putObject("outstanding"), r.outstanding());
    ArrayNode values = node.putArray("paidValue");
    for (io.leadcredits.report.CreditReport.PaidValue v : r.paidValue()) {
      values
          .addObject()
          .put("currency", v.currency())
          .put("credits", v.credits())
          .put("amountMinor", v.amountMinor());
    }
    node.put("paidCreditsWithoutPrice", r.paidCreditsWithoutPrice());
    ObjectNode period = node.putObject("period");
    period.put("from", r.from().toString());
    period.put("to", r.to().toString());
    byCategory(period.putObject("expired"), r.expired());
    byCategory(period.putObject("voided"), r.voided());
    ObjectNode expiring = node.putObject("expiring");
    expiring.put("until", r.expiringUntil().toString());
    byCategory(expiring, r.expiring());
    return node;
  }

  private static void byCategory(
      ObjectNode node, io.leadcredits.report.CreditReport.ByCategory credits) {
    node.put("paid", credits.paid());
    node.put("promotional", credits.promotional());
  }

  /**
   * {@code {"self","leader","members":[{"address","status","roles","reachable","hosted":{"account":
   * {"shards","entities"},"lead":{...}}}],"statsMissing":[...]}}.
   */
  public static ObjectNode cluster(ClusterView view) {
    ObjectNode node = Json.object();
    node.put("self", view.self());
    node.put("leader", view.leader());
    ArrayNode members = node.putArray("members");
    for (ClusterView.Member m : view.members()) {
      ObjectNode member = members.addObject();
      member.put("address", m.address());
      member.put("status", m.status());
      m.roles().forEach(member.putArray("roles")::add);
      member.put("reachable", m.reachable());
      ObjectNode hosted = member.putObject("hosted");
      new TreeMap<>(m.hosted())
          .forEach(
              (type, h) ->
                  hosted.putObject(type).put("shards", h.shards()).put("entities", h.entities()));
    }
    view.statsMissing().forEach(node.putArray("statsMissing")::add);
    return node;
  }

  public static ObjectNode status(String status) {
    return Json.object().put("status", status);
  }

  /** {@code {"id","url","types","description","status","createdAt"}}: never the secret. */
  public static ObjectNode webhook(WebhookEndpoint e) {
    ObjectNode node = Json.object();
    node.put("id", e.id());
    node.put("url", e.url());
    ArrayNode types = node.putArray("types");
    e.types().forEach(types::add);
    if (e.description() == null) {
      node.putNull("description");
    } else {
      node.put("description", e.description());
    }
    node.put("status", e.status().name());
    node.put("createdAt", e.createdAt().toString());
    return node;
  }

  /** {@code {"items":[endpoint…]}}. */
  public static ObjectNode webhooks(List<WebhookEndpoint> all) {
    ObjectNode node = Json.object();
    ArrayNode items = node.putArray("items");
    all.forEach(e -> items.add(webhook(e)));
    return node;
  }

  /**
   * {@code {"items":[{"eventId","type","status","attempts","lastStatusCode","lastAttemptAt",
   * "nextAttemptAt"}…]}}, newest first; the last three null when they do not apply.
   */
  public static ObjectNode deliveries(List<Delivery> all) {
    ObjectNode node = Json.object();
    ArrayNode items = node.putArray("items");
    for (Delivery d : all) {
      ObjectNode item = items.addObject();
      item.put("eventId", d.eventId());
      item.put("type", d.type());
      item.put("status", d.status().name());
      item.put("attempts", d.attempts());
      if (d.lastStatusCode() == null) {
        item.putNull("lastStatusCode");
      } else {
        item.put("lastStatusCode", d.lastStatusCode().intValue());
      }
      putInstant(item, "lastAttemptAt", d.lastAttemptAt());
      putInstant(item, "nextAttemptAt", d.nextAttemptAt());
    }
    return node;
  }

  private static void putInstant(ObjectNode node, String field, java.time.Instant at) {
    if (at == null) {
      node.putNull(field);
    } else {
      node.put(field, at.toString());
    }
  }
}
