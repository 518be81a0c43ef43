package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.ClusterView;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.engine.Readiness;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Operations: {@code /health/live} (the process serves HTTP), {@code /health/ready} (the engine can
 * serve: journal reachable), unauthenticated for probes; {@code /api/audit} and {@code
 * /api/cluster} (admin).
 */
final class OpsRoutes extends ApiDirectives {
  private final CreditEngine engine;

  OpsRoutes(CreditEngine engine, Jwt jwt) {
    super(jwt);
    this.engine = engine;
  }

  /** The routes under {@code /health}. */
  Route health() {
    return pathPrefix(
        "health",
        () ->
            concat(
                path("live", () -> get(() -> complete(Replies.ok(Views.status("live"))))),
                path("ready", () -> get(this::ready))));
  }

  /** The routes under {@code /api}. */
  Route api() {
    return concat(
        path("audit", () -> adminGet(() -> reply(engine::audit, r -> Replies.ok(Views.audit(r))))),
        path("cluster", () -> adminGet(() -> reply(engine::cluster, OpsRoutes::cluster))));
  }

  private Route adminGet(Supplier<Route> inner) {
    return get(() -> authenticated(principal -> adminOnly(principal, inner)));
  }

  /** The baselines run on one process without sharding: there is no cluster to show. */
  private static HttpResponse cluster(Optional<ClusterView> view) {
    return view.map(v -> Replies.ok(Views.cluster(v)))
        .orElseGet(
            () ->
                Problems.of(
                    ProblemCode.NOT_FOUND, "this engine runs on one process, without a cluster"));
  }

  private Route ready() {
    return completeWithFuture(
        engine
            .readiness()
            .handle(
                (readiness, failure) ->
                    failure == null
                        ? readiness(readiness)
                        : Problems.of(
                            ProblemCode.NOT_READY,
                            "readiness check failed: " + Problems.unwrap(failure))));
  }

  static HttpResponse readiness(Readiness readiness) {
    return readiness.ready()
        ? Replies.ok(Views.status("ready"))
        : Problems.of(ProblemCode.NOT_READY, readiness.reason());
  }
}
