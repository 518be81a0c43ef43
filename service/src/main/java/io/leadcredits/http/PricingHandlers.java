package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.CreditEngine;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The prices: the price list in force (read by anyone signed in, set by an admin) and a tradie's
 * tier (set by an admin). Their methods and paths are in {@link Endpoints}.
 */
final class PricingHandlers extends ApiDirectives {
  private final CreditEngine engine;

  PricingHandlers(CreditEngine engine, Jwt jwt) {
    super(jwt);
    this.engine = engine;
  }

  /** 200 with the list in force and its version; 404 before any list was set. */
  Route read() {
    return authenticated(principal -> reply(engine::priceList, Replies::pricing));
  }

  /**
   * Puts the document in force as the next version, recorded with the admin who did; the list in
   * force sent again is a repeat (same version, {@code Idempotent-Replayed}).
   */
  Route put() {
    return authenticated(
        principal ->
            adminOnly(
                principal,
                () ->
                    body(
                        bytes ->
                            parsed(
                                () -> Requests.priceList(bytes),
                                list ->
                                    reply(
                                        () -> engine.setPriceList(list, principal.subject()),
                                        Replies::pricing)))));
  }

  /** Sets the tradie's tier: {@code {"tier":"gold"}}, or null for none. */
  Route profile(String accountId) {
    return authenticated(
        principal ->
            adminOnly(
                principal,
                () ->
                    pathId(
                        accountId,
                        "accountId",
                        id ->
                            body(
                                bytes ->
                                    parsed(
                                        () -> Requests.tier(bytes),
                                        tier ->
                                            reply(
                                                () -> engine.setTier(id, tier, principal.subject()),
                                                Replies::pricing))))));
  }
}
