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
 * Operations: the liveness probe (the process serves HTTP), the readiness probe (the engine can
 * serve: journal reachable), the metrics (Prometheus text) and the API contract, unauthenticated
 * for probes, scrapers and integrators; the audit and the cluster (admin). The metrics carry counts
 * and timings by type, never an id or an amount of one account. Their methods and paths are in
 * {@link Endpoints}.
 */
final class OpsHandlers extends ApiDirectives {
  /** The API contract, checked against the route table by OpenApiTest. */
  static final String OPENAPI_RESOURCE = "openapi.json";

  /** Under the probe timeouts of common orchestrators (Kubernetes defaults to 1s-10s). */
  private static final Duration readyCheckTimeoutMax = Duration.ofSeconds(3);

  private final CreditEngine engine;
  private final Metrics metrics;
  private final BooleanSupplier stopping;
  private final java.time.Clock clock;
  private final byte[] openApiDocument = loadOpenApi();

  OpsHandlers(
      CreditEngine engine,
      Jwt jwt,
      Metrics metrics,
      BooleanSupplier stopping,
      java.time.Clock clock) {
    super(jwt);
    this.clock = clock;
    this.engine = engine;
    this.metrics = metrics;
    this.stopping = stopping;
  }

  Route live() {
    return complete(Replies.ok(Views.status("live")));
  }

  Route metrics() {
    return complete(
        HttpResponse.create()
            .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, metrics.scrape())));
  }

  Route openApi() {
    return complete(
        HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, openApiDocument));
  }

  Route audit() {
    return signedInAdmin(() -> reply(engine::audit, r -> Replies.ok(Views.audit(r))));
  }

  /** {@code GET /api/reports/credits?at=&from=&to=} (admin). */
  Route creditReport() {
    return signedInAdmin(
        () ->
            parameterOptional(
                "at",
                at ->
                    parameterOptional(
                        "from",
                        from ->
                            parameterOptional(
                                "to",
                                to ->
                                    parsed(
                                        () ->
                                            Requests.creditReportQuery(
                                                at.orElse(null),
                                                from.orElse(null),
                                                to.orElse(null),
                                                clock.instant()),
                                        query ->
                                            reply(
                                                () -> engine.creditReport(query),
                                                r -> Replies.ok(Views.creditReport(r))))))));
  }

  Route cluster() {
    return signedInAdmin(() -> reply(engine::cluster, OpsHandlers::cluster));
  }

  private Route signedInAdmin(Supplier<Route> inner) {
    return authenticated(principal -> adminOnly(principal, inner));
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
  Route ready() {
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

  private static byte[] loadOpenApi() {
    try (InputStream in =
        OpsHandlers.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
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
