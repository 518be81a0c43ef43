package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.CreditEngine;
import java.time.Clock;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The whole HTTP API over one {@link CreditEngine}. Every answer that is not a success is a
 * problem: rejections and exceptions are handled here, around all routes, so no path can fall
 * through to pekko's plain-text errors or to a 500.
 */
public final class Routes extends AllDirectives {
  private final LeadRoutes leads;
  private final AccountRoutes accounts;
  private final OpsRoutes ops;
  private final ErrorHandling errors = new ErrorHandling();
  private final Admission admission;
  private final Route[] extra;

  /**
   * At most {@code maxInFlight} requests are served at once; {@code extra} routes (e.g. /metrics)
   * are served with the same limit and error handling.
   */
  public Routes(CreditEngine engine, Jwt jwt, Clock clock, int maxInFlight, Route... extra) {
    this.admission = new Admission(maxInFlight);
    this.leads = new LeadRoutes(engine, jwt, clock);
    this.accounts = new AccountRoutes(engine, jwt);
    this.ops = new OpsRoutes(engine, jwt);
    this.extra = extra.clone();
  }

  public Route route() {
    Route api = pathPrefix("api", () -> concat(leads.route(), accounts.route(), ops.api()));
    Route[] rest = new Route[extra.length + 1];
    rest[0] = api;
    System.arraycopy(extra, 0, rest, 1, extra.length);
    Route all = concat(ops.health(), rest);
    // Admission is outermost, so whatever the routes do (answer, reject, throw) releases its slot.
    return withRequestTimeoutResponse(
        ErrorHandling::timedOut,
        () ->
            admission.limited(
                () ->
                    handleExceptions(
                        errors.exceptionHandler(),
                        () -> handleRejections(errors.rejectionHandler(), () -> all))));
  }
}
