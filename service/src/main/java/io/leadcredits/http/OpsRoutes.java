package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.ClusterView;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.engine.Readiness;
import io.leadcredits.metrics.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Operations: {@code /health/live} (the process serves HTTP), {@code /health/ready} (the engine can
 * serve: journal reachable), {@code /metrics} (Prometheus text) and {@code /api/openapi.json} (the
 * API contract), unauthenticated for probes, scrapers and integrators; {@code /api/audit} and
 * {@code /api/cluster} (admin). The metrics carry counts and timings by type, never an id or an
 * amount of one account.
 */
final class OpsRoutes extends ApiDirectives {
  /** The API contract, checked against the routes by OpenApiTest. */
  static final String OPENAPI_RESOURCE = "openapi.json";

  /** Under the probe timeouts of common orchestrators (Kubernetes defaults to 1s-10s). */
  private static final Duration readyCheckTimeoutMax = Duration.ofSeconds(3);

  private final CreditEngine engine;
  private final Metrics metrics;
  private final BooleanSupplier stopping;
  private final byte[] openApi = openApi();

  OpsRoutes(CreditEngine engine, Jwt jwt, Metrics metrics, BooleanSupplier stopping) {
    super(jwt);
    this.engine = engine;
    this.metrics = metrics;
    this.stopping = stopping;
  }

  /** {@code GET /metrics}. */
  Route metrics() {
    return path(
        "metrics",
        () ->
            get(
                () ->
                    complete(
                        HttpResponse.create()
                            .withEntity(
                                HttpEntities.create(
                                    ContentTypes.TEXT_PLAIN_UTF8, metrics.scrape())))));
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
        path(
            "openapi.json",
            () ->
                get(
                    () ->
                        complete(
                            HttpResponse.create()
                                .withEntity(ContentTypes.APPLICATION_JSON, openApi)))),
        path("audit", () -> adminGet(() -> reply(engine::audit, r -> Replies.ok(Views.audit(r))))),
        path("cluster", () -> adminGet(() -> reply(engine::cluster, OpsRoutes::cluster))));
  }

  private Route adminGet(Supplier<Route> inner) {
    return get(() -> authenticated(principal -> adminOnly(principal, inner)));
  }

  /** An engine on one process without sharding has no cluster to show. */
  private static HttpResponse cluster(Optional<ClusterView> view) {
    return view.map(v -> Replies.ok(Views.cluster(v)))
        .orElseGet(
            () ->
                Problems.of(
                    ProblemCode.NOT_FOUND, "this engine runs on one process, without a cluster"));
  }

  /**
   * A probe must answer quickly even when the database hangs (a probe that times out says nothing
   * about why): the check gets {@code readyCheckTimeoutMax} and is then reported as not ready.
   */
  private Route ready() {
    if (stopping.getAsBoolean()) {
      return complete(Problems.of(ProblemCode.NOT_READY, "shutting down"));
    }
    return completeWithFuture(
        engine
            .readiness()
            .toCompletableFuture()
            .copy()
            .orTimeout(readyCheckTimeoutMax.toMillis(), TimeUnit.MILLISECONDS)
            .handle(
                (readiness, failure) -> {
                  if (failure == null) {
                    return readiness(readiness);
                  }
                  Throwable cause = Problems.unwrap(failure);
                  return Problems.of(
                      ProblemCode.NOT_READY,
                      cause instanceof TimeoutException
                          ? "the readiness check did not answer within "
                              + readyCheckTimeoutMax.toSeconds()
                              + "s"
                          : "readiness check failed: " + cause);
                }));
  }

  private static byte[] openApi() {
    try (InputStream in = OpsRoutes.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HttpResponse readiness(Readiness readiness) {
    return readiness.ready()
        ? Replies.ok(Views.status("ready"))
        : Problems.of(ProblemCode.NOT_READY, readiness.reason());
  }
}
