package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.Principal;
import io.leadcredits.engine.CreditEngine;
import java.time.Clock;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The accounts, and the caller's own balance. Credits and debits are admin operations; reading,
 * reserving, capturing and releasing are open to the admin and the owner. Their methods and paths
 * are in {@link Endpoints}.
 */
final class AccountHandlers extends ApiDirectives {
  private final CreditEngine engine;
  private final Clock clock;

  AccountHandlers(CreditEngine engine, Jwt jwt, Clock clock) {
    super(jwt);
    this.engine = engine;
    this.clock = clock;
  }

  /** The caller's own account: the token's subject names it. */
  Route ownBalance() {
    return authenticated(
        principal -> reply(() -> engine.account(principal.subject()), Replies::account));
  }

  Route read(String accountId) {
    return owned(accountId, (principal, id) -> reply(() -> engine.account(id), Replies::account));
  }

  /** A top-up: the change's answer and the id of the grant it made (the transaction id). */
  Route credit(String accountId) {
    return adminChange(
        accountId,
        (id, body, key) ->
            parsed(
                () -> Requests.credit(body, key),
                req ->
                    reply(
                        () ->
                            engine.credit(
                                id,
                                req.amount().transactionId(),
                                req.amount().amount(),
                                req.terms(),
                                req.amount().metadata()),
                        r -> Replies.credit(r, req.amount().transactionId()))));
  }

  /** Voids what is left of a grant (admin). */
  Route voidGrant(String accountId, String grantId) {
    return adminChange(
        accountId,
        (id, body, key) ->
            parsed(
                () -> Requests.voidGrant(grantId, body, key),
                req ->
                    reply(
                        () ->
                            engine.voidGrant(id, req.transactionId(), req.grantId(), req.reason()),
                        r -> Replies.voidGrant(r, req.grantId()))));
  }

  /** A debit: an amount and a reason. */
  Route debit(String accountId) {
    return adminChange(
        accountId,
        (id, body, key) ->
            parsed(
                () -> Requests.amount(body, key),
                req ->
                    reply(
                        () -> engine.debit(id, req.transactionId(), req.amount(), req.metadata()),
                        Replies::change)));
  }

  /** 201 with the balances and the new hold; the hold id is the transaction id. */
  Route reserve(String accountId) {
    return owned(
        accountId,
        (principal, id) ->
            bodyAndKey(
                (body, key) ->
                    parsed(
                        () -> Requests.reserve(body, key),
                        req ->
                            reply(
                                () ->
                                    engine.reserve(
                                        id, req.holdId(), req.amount(), req.ttl(), Map.of()),
                                r -> Replies.reservation(r, req.holdId())))));
  }

  Route capture(String accountId, String holdId) {
    return owned(
        accountId,
        (principal, id) ->
            pathId(
                holdId,
                "holdId",
                hold -> noFields(() -> reply(() -> engine.capture(id, hold), Replies::change))));
  }

  Route release(String accountId, String holdId) {
    return owned(
        accountId,
        (principal, id) ->
            pathId(
                holdId,
                "holdId",
                hold -> noFields(() -> reply(() -> engine.release(id, hold), Replies::change))));
  }

  Route transactions(String accountId) {
    return owned(
        accountId,
        (principal, id) ->
            query(
                "after",
                "limit",
                Requests::trailQuery,
                q ->
                    reply(
                        () -> engine.transactions(id, q.after(), q.limit()),
                        page -> Replies.ok(Views.trail(page)))));
  }

  /** The tradie's claims, oldest first, with price, time and refund; paged as the trail is. */
  Route claims(String accountId) {
    return owned(
        accountId,
        (principal, id) ->
            query(
                "after",
                "limit",
                Requests::trailQuery,
                q ->
                    reply(
                        () -> engine.claims(id, q.after(), q.limit()),
                        page -> Replies.ok(Views.claims(page)))));
  }

  /**
   * The account's statement for {@code ?from=&to=} (admin or owner): JSON, or CSV when the caller
   * accepts {@code text/csv}.
   */
  Route statement(String accountId) {
    return owned(
        accountId,
        (principal, id) ->
            optionalHeaderValueByName(
                "Accept",
                accept ->
                    query(
                        "from",
                        "to",
                        (from, to) -> Requests.statementQuery(from, to, clock.instant()),
                        q ->
                            reply(
                                () -> engine.statement(id, q.from(), q.to()),
                                s -> Replies.statement(s, wantsCsv(accept))))));
  }

  /** Whether the Accept header asks for CSV (a spreadsheet); anything else is answered JSON. */
  private static boolean wantsCsv(java.util.Optional<String> accept) {
    return accept.isPresent()
        && accept.get().toLowerCase(java.util.Locale.ROOT).contains("text/csv");
  }

  /** The low-balance alert setting (admin or owner). */
  Route alerts(String accountId) {
    return owned(accountId, (principal, id) -> reply(() -> engine.alerts(id), Replies::alerts));
  }

  /** Sets the low-balance threshold (admin or owner): {@code {"lowBalanceThreshold":n}}, 0 off. */
  Route setAlerts(String accountId) {
    return owned(
        accountId,
        (principal, id) ->
            body(
                bytes ->
                    parsed(
                        () -> Requests.alerts(bytes),
                        threshold ->
                            reply(() -> engine.setAlerts(id, threshold), Replies::alerts))));
  }

  /** Signed in (401), the admin or the owner (403), a valid account id (400). */
  private Route owned(String accountId, BiFunction<Principal, String, Route> inner) {
    return authenticated(
        principal ->
            adminOrOwner(
                principal,
                accountId,
                () -> pathId(accountId, "accountId", id -> inner.apply(principal, id))));
  }

  /**
   * Signed in (401), an admin (403), a valid account id (400), then the body and the idempotency
   * key: the shell of every change only an admin makes.
   */
  private Route adminChange(String accountId, AdminChange inner) {
    return authenticated(
        principal ->
            adminOnly(
                principal,
                () ->
                    pathId(
                        accountId,
                        "accountId",
                        id -> bodyAndKey((body, key) -> inner.apply(id, body, key)))));
  }

  @FunctionalInterface
  private interface AdminChange {
    Route apply(String accountId, byte[] body, String idempotencyKey);
  }
}
