package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.CreditEngine;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Refunds of claims: asked for by the claim's tradie, decided by an admin. Their methods and paths
 * are in {@link Endpoints}.
 */
final class RefundHandlers extends ApiDirectives {
  private final CreditEngine engine;

  RefundHandlers(CreditEngine engine, Jwt jwt) {
    super(jwt);
    this.engine = engine;
  }

  /**
   * 201 with the refund asked for; the same request again is its repeat. Only the claim's tradie
   * finds the claim: anyone else's is 404.
   */
  Route request(String claimId) {
    return authenticated(
        principal ->
            tradieOnly(
                principal,
                () ->
                    pathId(
                        claimId,
                        "claimId",
                        id ->
                            body(
                                bytes ->
                                    parsed(
                                        () -> Requests.refundRequest(bytes),
                                        ask ->
                                            reply(
                                                () ->
                                                    engine.requestRefund(
                                                        principal.subject(),
                                                        id,
                                                        ask.reason(),
                                                        ask.note()),
                                                Replies::refundRequested))))));
  }

  Route approve(String refundId) {
    return authenticated(
        principal ->
            adminOnly(
                principal,
                () ->
                    pathId(
                        refundId,
                        "refundId",
                        id ->
                            body(
                                bytes ->
                                    parsed(
                                        () -> Requests.refundApproval(bytes),
                                        a ->
                                            reply(
                                                () ->
                                                    engine.approveRefund(
                                                        id,
                                                        a.amount(),
                                                        a.note(),
                                                        principal.subject()),
                                                Replies::refundDecided))))));
  }

  Route reject(String refundId) {
    return authenticated(
        principal ->
            adminOnly(
                principal,
                () ->
                    pathId(
                        refundId,
                        "refundId",
                        id ->
                            body(
                                bytes ->
                                    parsed(
                                        () -> Requests.refundRejection(bytes),
                                        note ->
                                            reply(
                                                () ->
                                                    engine.rejectRefund(
                                                        id, note, principal.subject()),
                                                Replies::refundDecided))))));
  }

  /** Refunds in id order, {@code ?status=&limit=&after=} (the last page's {@code next}). */
  Route list() {
    return authenticated(
        principal ->
            adminOnly(
                principal,
                () ->
                    parameterOptional(
                        "status",
                        status ->
                            query(
                                "limit",
                                "after",
                                (limit, after) ->
                                    Requests.refundQuery(status.orElse(null), limit, after),
                                q ->
                                    reply(
                                        () -> engine.refunds(q.status(), q.after(), q.limit()),
                                        page -> Replies.ok(Views.refunds(page)))))));
  }
}
