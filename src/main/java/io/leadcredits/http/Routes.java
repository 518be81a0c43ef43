package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.CreditEngine;
import java.time.Clock;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The whole HTTP API over one {@link CreditEngine}, and the dashboard that shows it. Every answer
 * that is not a success is a problem: rejections and exceptions are handled here, around all
 * routes, so no path can fall through to pekko's plain-text errors or to a 500.
 */
public final class Routes extends AllDirectives {
  private final LeadRoutes leads;
  private final AccountRoutes accounts;
  private final OpsRoutes ops;
  private final DashboardRoutes dashboard = new DashboardRoutes();
  private final ErrorHandling errors = new ErrorHandling();
  private final Route[] extra;

  /** {@code extra} routes (e.g. /metrics) are served with the same error handling. */
  public Routes(CreditEngine engine, Jwt jwt, Clock clock, Route... extra) {
    this.leads = new LeadRoutes(engine, jwt, clock);
    this.accounts = new AccountRoutes(engine, jwt);
    this.ops = new OpsRoutes(engine, jwt);
    this.extra = extra.clone();
  }

  /**
   * The handlers are built here, once: pekko evaluates the inner suppliers on every request, and a
   * rejection handler built there costs an allocation per default case per request.
   */
  public Route route() {
    RejectionHandler rejections = errors.rejectionHandler();
    ExceptionHandler exceptions = errors.exceptionHandler();
    Route api = pathPrefix("api", () -> concat(leads.route(), accounts.route(), ops.api()));
    Route[] rest = new Route[extra.length + 2];
    rest[0] = api;
    rest[1] = dashboard.route();
    System.arraycopy(extra, 0, rest, 2, extra.length);
    Route all = concat(ops.health(), rest);
    return withRequestTimeoutResponse(
        ErrorHandling::timedOut,
        () -> handleExceptions(exceptions, () -> handleRejections(rejections, () -> all)));
  }
}
