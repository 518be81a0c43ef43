package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.engine.Readiness;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Operations: {@code /health/live} (the process serves HTTP), {@code /health/ready} (the engine can
 * serve: journal reachable), unauthenticated for probes; {@code /api/audit} (admin).
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
    return path(
        "audit",
        () ->
            get(
                () ->
                    authenticated(
                        principal ->
                            adminOnly(
                                principal,
                                () ->
                                    reply(
                                        engine::audit,
                                        report -> Replies.ok(Views.audit(report)))))));
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
