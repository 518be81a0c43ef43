package io.leadcredits.http;

import io.leadcredits.Limits;
import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.logging.Mdc;
import io.leadcredits.metrics.Metrics;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole HTTP API over one {@link CreditEngine}, and the dashboard that shows it. Every answer
 * that is not a success is a problem: rejections and exceptions are handled here, around all
 * routes, so no path can fall through to pekko's plain-text errors or to a 500.
 */
public final class Routes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(Routes.class);

  private final LeadRoutes leads;
  private final AccountRoutes accounts;
  private final OpsRoutes ops;
  private final DashboardRoutes dashboard = new DashboardRoutes();
  private final ErrorHandling errors = new ErrorHandling();
  private final HttpMetrics metrics;
  private final Admission admission;
  private final Route[] extra;

  /** The requests served at once when nothing else is said (leadcredits.http.max-in-flight). */
  public static final int MAX_IN_FLIGHT_DEFAULT = Limits.httpInFlightDefault;

  /** {@code extra} routes are served with the same error handling. */
  public Routes(CreditEngine engine, Jwt jwt, Clock clock, Route... extra) {
    this(engine, jwt, clock, MAX_IN_FLIGHT_DEFAULT, extra);
  }

  /** At most {@code maxInFlight} requests are served at once. */
  public Routes(CreditEngine engine, Jwt jwt, Clock clock, int maxInFlight, Route... extra) {
    this(engine, jwt, clock, Metrics.none(), () -> false, maxInFlight, extra);
  }

  /**
   * With {@code /metrics} served from {@code metrics}, which also times every request; not ready
   * while {@code stopping}; at most {@code maxInFlight} requests served at once, {@code extra}
   * routes with the same limit and error handling.
   */
  public Routes(
      CreditEngine engine,
      Jwt jwt,
      Clock clock,
      Metrics metrics,
      BooleanSupplier stopping,
      int maxInFlight,
      Route... extra) {
    this.admission = new Admission(maxInFlight);
    this.leads = new LeadRoutes(engine, jwt, clock);
    this.accounts = new AccountRoutes(engine, jwt);
    this.ops = new OpsRoutes(engine, jwt, metrics, stopping);
    this.metrics = new HttpMetrics(metrics);
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
    Route[] rest = new Route[extra.length + 3];
    rest[0] = ops.metrics();
    rest[1] = api;
    rest[2] = dashboard.route();
    System.arraycopy(extra, 0, rest, 3, extra.length);
    Route all = concat(ops.health(), rest);
    // Admission is outermost, so whatever the routes do (answer, reject, throw) releases its slot.
    return withRequestTimeoutResponse(
        ErrorHandling::timedOut,
        () ->
            metered(
                () ->
                    admission.limited(
                        () ->
                            handleExceptions(
                                exceptions, () -> handleRejections(rejections, () -> all)))));
  }

  /**
   * Times every request from when it is routed to its response, by route template and status, and
   * logs it (DEBUG; WARN for a 5xx) with the ids of its path in the MDC.
   */
  private Route metered(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          long started = System.nanoTime();
          String path = request.getUri().path();
          int route = metrics.route(path);
          String method = request.method().value();
          return mapResponse(
              response -> {
                long nanos = System.nanoTime() - started;
                int status = response.status().intValue();
                metrics.record(route, method, status, nanos);
                if (status >= 500 ? log.isWarnEnabled() : log.isDebugEnabled()) {
                  logRequest(route, path, method, status, nanos);
                }
                return response;
              },
              inner);
        });
  }

  private void logRequest(int route, String path, String method, int status, long nanos) {
    try (Mdc ids = Mdc.of(metrics.ids(route, path))) {
      String format = "{} {} answered {} in {} ms";
      Object[] args = {method, metrics.label(route), status, nanos / 1_000_000};
      if (status >= 500) {
        log.warn(format, args);
      } else {
        log.debug(format, args);
      }
    }
  }
}
