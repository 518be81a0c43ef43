package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.metrics.Metrics;
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
  private final HttpMetrics metrics;
  private final Route[] extra;

  /** {@code extra} routes are served with the same error handling. */
  public Routes(CreditEngine engine, Jwt jwt, Clock clock, Route... extra) {
    this(engine, jwt, clock, Metrics.none(), extra);
  }

  /** With {@code /metrics} served from {@code metrics}, which also times every request. */
  public Routes(CreditEngine engine, Jwt jwt, Clock clock, Metrics metrics, Route... extra) {
    this.leads = new LeadRoutes(engine, jwt, clock);
    this.accounts = new AccountRoutes(engine, jwt);
    this.ops = new OpsRoutes(engine, jwt, metrics);
    this.metrics = new HttpMetrics(metrics);
    this.extra = extra.clone();
  }

  public Route route() {
    Route api = pathPrefix("api", () -> concat(leads.route(), accounts.route(), ops.api()));
    Route[] rest = new Route[extra.length + 2];
    rest[0] = ops.metrics();
    rest[1] = api;
    System.arraycopy(extra, 0, rest, 2, extra.length);
    Route all = concat(ops.health(), rest);
    return withRequestTimeoutResponse(
        ErrorHandling::timedOut,
        () ->
            metered(
                () ->
                    handleExceptions(
                        errors.exceptionHandler(),
                        () -> handleRejections(errors.rejectionHandler(), () -> all))));
  }

  /** Times every request from when it is routed to its response, by route template and status. */
  private Route metered(java.util.function.Supplier<Route> inner) {
    return extractRequest(
        request -> {
          long started = System.nanoTime();
          int route = metrics.route(request.getUri().path());
          String method = request.method().value();
          return mapResponse(
              response -> {
                metrics.record(
                    route, method, response.status().intValue(), System.nanoTime() - started);
                return response;
              },
              inner);
        });
  }
}
