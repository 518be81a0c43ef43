package io.leadcredits.http;

import io.leadcredits.engine.Stages;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Admission control: at most {@code maxInFlight} requests are served at once; one more is answered
 * at once with 503 OVERLOADED and {@code Retry-After}, before anything is parsed or attempted. This
 * bounds the work and the memory a flood can pile up behind the entities, whatever the number of
 * connections. The health checks are never refused: a node shedding load is alive.
 */
final class Admission extends AllDirectives {
  private static final String HEALTH_PREFIX = "/health/";

  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();

  Admission(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
  }

  Route limited(Supplier<Route> inner) {
    return extractRequestContext(
        ctx -> {
          if (ctx.getRequest().getUri().path().startsWith(HEALTH_PREFIX)) {
            return inner.get();
          }
          if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            return complete(
                Problems.of(ProblemCode.OVERLOADED, "the node is overloaded; retry shortly"));
          }
          // The route's result is a Scala future seen as a stage: a callback on it directly would
          // run on a new thread per request on a 2-core machine (see Stages).
          return extractExecutionContext(
              dispatcher ->
                  mapRouteResultFuture(
                      result ->
                          Stages.on(dispatcher, result)
                              .whenComplete((r, failure) -> inFlight.decrementAndGet()),
                      inner));
        });
  }
}
