package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.CreditEngine;
import java.time.Clock;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The leads: create and list (admin), read (anyone signed in), claim (a tradie, as themselves),
 * close (admin). Their methods and paths are in {@link Endpoints}.
 */
final class LeadHandlers extends ApiDirectives {
  private final CreditEngine engine;
  private final Clock clock;

  LeadHandlers(CreditEngine engine, Jwt jwt, Clock clock) {
    super(jwt);
    this.engine = engine;
    this.clock = clock;
  }

  /** 201 with the lead, also when the same create is repeated. */
  Route create() {
    return authenticated(
        principal ->
            adminOnly(
                principal,
                () ->
                    bodyAndKey(
                        (body, key) ->
                            parsed(
                                () -> Requests.createLead(body, key, clock.instant()),
                                lead ->
                                    reply(
                                        () -> engine.createLead(lead.leadId(), lead.terms()),
                                        r -> Replies.lead(r, StatusCodes.CREATED))))));
  }

  /** The newest leads, {@code ?status=} and {@code ?limit=}, with the count in each status. */
  Route list() {
    return authenticated(
        principal ->
            adminOnly(
                principal,
                () ->
                    query(
                        "status",
                        "limit",
                        Requests::leadQuery,
                        q ->
                            reply(
                                () -> engine.leads(q.status(), q.limit()),
                                list -> Replies.ok(Views.leads(list))))));
  }

  Route read(String leadId) {
    return authenticated(
        principal ->
            pathId(
                leadId,
                "leadId",
                id -> reply(() -> engine.lead(id), r -> Replies.lead(r, StatusCodes.OK))));
  }

  /**
   * The tradie is the token's subject; the claim id derives from (lead, tradie), so retries are
   * safe, and a retry is answered with the claim as it was priced. An optional {@code maxCost}
   * refuses a price above it.
   */
  Route claim(String leadId) {
    return authenticated(
        principal ->
            tradieOnly(
                principal,
                () ->
                    pathId(
                        leadId,
                        "leadId",
                        id ->
                            body(
                                bytes ->
                                    parsed(
                                        () -> Requests.claimMaxCost(bytes),
                                        maxCost ->
                                            reply(
                                                () ->
                                                    engine.claim(id, principal.subject(), maxCost),
                                                Replies::claim))))));
  }

  /** What a claim by the token's tradie made now would cost, and why. */
  Route quote(String leadId) {
    return authenticated(
        principal ->
            tradieOnly(
                principal,
                () ->
                    pathId(
                        leadId,
                        "leadId",
                        id -> reply(() -> engine.quote(id, principal.subject()), Replies::quote))));
  }

  Route close(String leadId) {
    return authenticated(
        principal ->
            adminOnly(
                principal,
                () ->
                    pathId(
                        leadId,
                        "leadId",
                        id ->
                            noFields(
                                () ->
                                    reply(
                                        () -> engine.closeLead(id),
                                        r -> Replies.lead(r, StatusCodes.OK))))));
  }

  /**
   * 200 with the lead, VOIDED, once the void is durable; its confirmed claims' refunds follow. A
   * repeat (any reason) is answered as the first.
   */
  Route voidLead(String leadId) {
    return authenticated(
        principal ->
            adminOnly(
                principal,
                () ->
                    pathId(
                        leadId,
                        "leadId",
                        id ->
                            body(
                                bytes ->
                                    parsed(
                                        () -> Requests.voidLead(bytes),
                                        reason ->
                                            reply(
                                                () ->
                                                    engine.voidLead(
                                                        id, reason, principal.subject()),
                                                r -> Replies.lead(r, StatusCodes.OK)))))));
  }
}
