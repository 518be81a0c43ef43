package io.leadcredits.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadcredits.Limits;
import io.leadcredits.account.AccountReply;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.engine.Statement;
import io.leadcredits.lead.LeadReply;
import io.leadcredits.pricing.PricingReply;
import io.leadcredits.pricing.QuoteReply;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine replies as HTTP responses. A replayed mutation answers with the status of the first answer
 * plus {@code Idempotent-Replayed: true}; an unknown outcome is a 503 the client retries with the
 * same transaction id.
 */
public final class Replies {
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  /** The account view with its open holds (a read), or the failure. */
  public static HttpResponse account(AccountReply reply) {
    if (reply instanceof AccountReply.Accepted a) {
      return json(StatusCodes.OK, Views.account(a.view()), a.replayed());
    }
    return accountFailure(reply);
  }

  /**
   * A credit, debit, capture or release: 200 with the account's balances after it, not its holds.
   * An agency account can have hundreds of holds open; sending them all with every change would
   * make each answer grow with the account's traffic.
   */
  public static HttpResponse change(AccountReply reply) {
    if (reply instanceof AccountReply.Accepted a) {
      return json(StatusCodes.OK, Views.change(a.view()), a.replayed());
    }
    return accountFailure(reply);
  }

  /** A top-up: {@link #change}'s answer and the id of the grant it made. */
  public static HttpResponse credit(AccountReply reply, String grantId) {
    if (reply instanceof AccountReply.Accepted a) {
      return json(StatusCodes.OK, Views.change(a.view()).put("grantId", grantId), a.replayed());
    }
    return accountFailure(reply);
  }

  /** A void: {@link #change}'s answer and the grant voided. */
  public static HttpResponse voidGrant(AccountReply reply, String grantId) {
    return credit(reply, grantId);
  }

  /**
   * The account's alert settings (a read, or a change: the setting in force sent again is a
   * repeat).
   */
  public static HttpResponse alerts(AccountReply reply) {
    if (reply instanceof AccountReply.Accepted a) {
      return json(StatusCodes.OK, Views.alerts(a.view()), a.replayed());
    }
    return accountFailure(reply);
  }

  /**
   * The statement as JSON, or with {@code csv} as a spreadsheet's CSV; 404 for an account without
   * history, 400 for a period with more entries than one statement holds.
   */
  public static HttpResponse statement(Optional<Statement> statement, boolean csv) {
    if (statement.isEmpty()) {
      return Problems.of(ProblemCode.NOT_FOUND, "no account with a history");
    }
    Statement s = statement.get();
    if (!s.complete()) {
      return Problems.invalid(
          "the period holds more than "
              + Limits.statementEntriesMax
              + " entries; ask for a shorter one");
    }
    if (!csv) {
      return ok(Views.statement(s));
    }
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .withEntity(
            ContentTypes.create(MediaTypes.TEXT_CSV, HttpCharsets.UTF_8),
            ByteString.fromString(StatementCsv.of(s), StandardCharsets.UTF_8));
  }

  /** 201 with the balances after the reservation and the new hold. */
  public static HttpResponse reservation(AccountReply reply, String holdId) {
    if (reply instanceof AccountReply.Accepted a) {
      return json(StatusCodes.CREATED, Views.reservation(a.view(), holdId), a.replayed());
    }
    return accountFailure(reply);
  }

  public static HttpResponse lead(LeadReply reply, StatusCode success) {
    if (reply instanceof LeadReply.Accepted a) {
      return json(success, Views.lead(a.view()), a.replayed());
    }
    if (reply instanceof LeadReply.Unavailable u) {
      return unknownOutcome(u.detail());
    }
    LeadReply.Rejected r = (LeadReply.Rejected) reply;
    return Problems.rejected(r.reason(), r.detail());
  }

  public static HttpResponse claim(ClaimReply reply) {
    if (reply instanceof ClaimReply.Claimed c) {
      return json(StatusCodes.OK, Views.claim(c.result()), c.replayed());
    }
    if (reply instanceof ClaimReply.Rejected r) {
      return rejection(r);
    }
    if (reply instanceof ClaimReply.PriceAboveMax p) {
      return priceAboveMax(p);
    }
    if (reply instanceof ClaimReply.Overloaded o) {
      return Problems.of(ProblemCode.OVERLOADED, o.detail());
    }
    ClaimReply.Pending p = (ClaimReply.Pending) reply;
    return unknownOutcome("claim " + p.claimId() + " pending: " + p.detail());
  }

  /**
   * 409 PRICE_ABOVE_MAX with what the claim would have cost now ({@code creditCost}, {@code
   * pricingVersion}, {@code breakdown}) and the {@code maxCost} it was held to, so the tradie can
   * decide again.
   */
  private static HttpResponse priceAboveMax(ClaimReply.PriceAboveMax refused) {
    Problem problem = new Problem(ProblemCode.PRICE_ABOVE_MAX, refused.detail());
    ObjectNode body = Problems.body(problem);
    Views.price(body, refused.price());
    body.put("maxCost", refused.maxCost());
    return Problems.response(problem, body);
  }

  /** 200 with the quote, or the problem a claim made now would meet. */
  public static HttpResponse quote(QuoteReply reply) {
    if (reply instanceof QuoteReply.Quoted q) {
      return ok(Views.quote(q));
    }
    QuoteReply.Refused r = (QuoteReply.Refused) reply;
    return Problems.rejected(r.reason(), r.detail());
  }

  /** A refund request: 201 with the refund (also when repeated, then marked replayed). */
  public static HttpResponse refundRequested(io.leadcredits.refund.RefundReply reply) {
    return refund(reply, StatusCodes.CREATED);
  }

  /** A decision: 200 with the refund as it stands after it. */
  public static HttpResponse refundDecided(io.leadcredits.refund.RefundReply reply) {
    return refund(reply, StatusCodes.OK);
  }

  private static HttpResponse refund(io.leadcredits.refund.RefundReply reply, StatusCode status) {
    if (reply instanceof io.leadcredits.refund.RefundReply.Accepted a) {
      return json(status, Views.refund(a.refund()), a.replayed());
    }
    if (reply instanceof io.leadcredits.refund.RefundReply.Rejected r) {
      return Problems.rejected(r.reason(), r.detail());
    }
    return unknownOutcome(((io.leadcredits.refund.RefundReply.Unavailable) reply).detail());
  }

  /** 200 with the price list in force and its version; 404 when none was ever set. */
  public static HttpResponse pricing(PricingReply reply) {
    if (reply instanceof PricingReply.PriceListAnswer a) {
      return json(StatusCodes.OK, Views.pricing(a), a.replayed());
    }
    if (reply instanceof PricingReply.TierAnswer t) {
      return json(StatusCodes.OK, Views.profile(t), t.replayed());
    }
    PricingReply.Rejected r = (PricingReply.Rejected) reply;
    return Problems.rejected(r.reason(), r.detail());
  }

  private record RenderedRejection(ClaimReply.Rejected reply, HttpResponse response) {}

  private static final AtomicReference<RenderedRejection> lastRejection = new AtomicReference<>();

  /**
   * A full lead answers every late tradie with the same refusal; its response is immutable, so it
   * is rendered once and shared. Compared by value, so an engine that builds a new reply per
   * request (the baselines) takes the same path as the actor lead.
   */
  private static HttpResponse rejection(ClaimReply.Rejected reply) {
    RenderedRejection last = lastRejection.get();
    if (last != null && last.reply().equals(reply)) {
      return last.response();
    }
    HttpResponse response = Problems.rejected(reply.reason(), reply.detail());
    lastRejection.set(new RenderedRejection(reply, response));
    return response;
  }

  public static HttpResponse ok(JsonNode body) {
    return json(StatusCodes.OK, body, false);
  }

  public static HttpResponse json(StatusCode status, JsonNode body, boolean replayed) {
    return json(status, ByteString.fromArrayUnsafe(Json.bytes(body)), replayed);
  }

  /** The bytes are never written to again, so the entity may share them instead of a copy. */
  private static HttpResponse json(StatusCode status, ByteString body, boolean replayed) {
    HttpResponse response =
        HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, body);
    return replayed ? response.addHeader(RawHeader.create(REPLAYED_HEADER, "true")) : response;
  }

  private static HttpResponse accountFailure(AccountReply reply) {
    if (reply instanceof AccountReply.Rejected r) {
      return Problems.rejected(r.reason(), r.detail());
    }
    if (reply instanceof AccountReply.Overloaded o) {
      return Problems.of(ProblemCode.OVERLOADED, o.detail());
    }
    return unknownOutcome(((AccountReply.Unavailable) reply).detail());
  }

  private static HttpResponse unknownOutcome(String engineDetail) {
    log.warn("outcome unknown, client told to retry: {}", engineDetail);
    return Problems.outcomeUnknown();
  }
}
