package io.leadcredits.http;

import io.leadcredits.account.TransactionType;
import io.leadcredits.metrics.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Records each answered request: {@code http_server_requests_seconds{method,route,status}} and, for
 * the routes that make an account transaction, {@code credit_processing_duration_seconds{type}}.
 * Timers are looked up once per (route, method, status) and kept in arrays, so recording a request
 * allocates nothing.
 */
final class HttpMetrics {
  private static final String[] methods = {"GET", "POST", "DELETE", "OTHER"};
  private static final int statusMin = 100;
  private static final int statusCount = 500;

  private final Metrics metrics;
  private final int routes = Endpoints.TEMPLATES.size() + 1; // the last one is "other"
  private final AtomicReferenceArray<Timer> timers =
      new AtomicReferenceArray<>(routes * methods.length * statusCount);
  private final TransactionType[] types = new TransactionType[routes * methods.length];

  HttpMetrics(Metrics metrics) {
    this.metrics = metrics;
    for (Endpoints.Endpoint e : Endpoints.ALL) {
      if (e.type() != null) {
        types[Endpoints.TEMPLATES.indexOf(e.template()) * methods.length + method(e.method())] =
            e.type();
      }
    }
  }

  /**
   * The route index of a path, to pass back to {@link #record}: the index of its template in {@link
   * Endpoints#TEMPLATES}, or the size of that list when it matches none.
   */
  int route(String path) {
    int template = Endpoints.match(path);
    return template < 0 ? routes - 1 : template;
  }

  /** The route label of a route index. */
  String label(int route) {
    return route == routes - 1 ? Endpoints.OTHER : Endpoints.TEMPLATES.get(route);
  }

  /** The ids in the path of a request on {@code route}, as MDC keys and values. */
  String[] ids(int route, String path) {
    return Endpoints.ids(route == routes - 1 ? -1 : route, path);
  }

  void record(int route, String method, int status, long nanos) {
    int m = method(method);
    int s = Math.min(Math.max(status, statusMin), statusMin + statusCount - 1) - statusMin;
    int slot = (route * methods.length + m) * statusCount + s;
    Timer timer = timers.get(slot);
    if (timer == null) {
      timer = metrics.httpRequests(methods[m], label(route), s + statusMin);
      timers.set(slot, timer);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
    TransactionType type = types[route * methods.length + m];
    if (type != null) {
      metrics.processed(type, nanos);
    }
  }

  private static int method(String method) {
    for (int i = 0; i < methods.length - 1; i++) {
      if (methods[i].equals(method)) {
        return i;
      }
    }
    return methods.length - 1;
  }
}
