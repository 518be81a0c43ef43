package io.leadcredits.http;

import io.leadcredits.Limits;
import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.logging.Mdc;
import io.leadcredits.metrics.Metrics;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole HTTP API over one {@link CreditEngine}, and the dashboard that shows it, served from
 * the route table in {@link Endpoints}. Every answer that is not a success is a problem: rejections
 * and exceptions are handled here, around all routes, so no path can fall through to pekko's
 * plain-text errors or to a 500.
 */
public final class Routes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(Routes.class);

  private final Handlers handlers;
  private final ErrorHandling errors = new ErrorHandling();
  private final HttpMetrics metrics;
  private final Admission admission;
  private final Route[] extra;

  /** The requests served at once when nothing else is said (leadcredits.http.max-in-flight). */
  public static final int MAX_IN_FLIGHT_DEFAULT = Limits.httpInFlightDefault;

  /** {@code extra} routes are tried after the table, with the same error handling. */
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
    this.handlers =
        new Handlers(
            new LeadHandlers(engine, jwt, clock),
            new PricingHandlers(engine, jwt),
            new RefundHandlers(engine, jwt),
            new AccountHandlers(engine, jwt, clock),
            new FeedHandlers(engine, jwt),
            new WebhookHandlers(engine, jwt),
            new OpsHandlers(engine, jwt, metrics, stopping, clock),
            new DashboardHandlers());
    this.metrics = new HttpMetrics(metrics);
    this.extra = extra.clone();
  }

  /**
   * Everything is built here, once: pekko evaluates the inner suppliers on every request, and a
   * route or a rejection handler built there costs allocations per request. There is one route per
   * template of {@link Endpoints} and one for a path that matches none, so a request's path is
   * matched against the table once, for its metrics and for its dispatch.
   */
  public Route route() {
    RejectionHandler rejections = errors.rejectionHandler();
    ExceptionHandler exceptions = errors.exceptionHandler();
    Dispatch dispatch = new Dispatch(handlers);
    Route[] admitted = new Route[Endpoints.TEMPLATES.size() + 1];
    for (int i = 0; i < admitted.length; i++) {
      Route table = i < Endpoints.TEMPLATES.size() ? dispatch.template(i) : reject();
      Route all = extra.length == 0 ? table : concat(table, extra);
      Route rejected = handleRejections(rejections, () -> all);
      Route handled = handleExceptions(exceptions, () -> rejected);
      // Admission is outermost, so whatever the routes do (answer, reject, throw) releases its
      // slot.
      admitted[i] = admission.limited(() -> handled);
    }
    Route metered = metered(admitted);
    return withRequestTimeoutResponse(ErrorHandling::timedOut, () -> metered);
  }

  /**
   * Times every request from when it is routed to its response, by route template and status, and
   * logs it (DEBUG; WARN for a 5xx) with the ids of its path in the MDC. The request is served by
   * the route of the template its path matched, {@code byTemplate[template]}, the last one when it
   * matched none.
   */
  private Route metered(Route[] byTemplate) {
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
              () -> byTemplate[route]);
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
