package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.metrics.Metrics;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Binds the API. Server limits (body size, timeouts, connections) live in http.conf; the limit on
 * requests in flight is a setting ({@link Admission}).
 */
public final class HttpServer {
  private HttpServer() {}

  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system, CreditEngine engine, Jwt jwt, String host, int port, Route... extra) {
    return start(
        system, engine, jwt, Metrics.none(), host, port, Routes.MAX_IN_FLIGHT_DEFAULT, extra);
  }

  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system,
      CreditEngine engine,
      Jwt jwt,
      String host,
      int port,
      int maxInFlight,
      Route... extra) {
    return start(system, engine, jwt, Metrics.none(), host, port, maxInFlight, extra);
  }

  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system,
      CreditEngine engine,
      Jwt jwt,
      Metrics metrics,
      String host,
      int port,
      int maxInFlight,
      Route... extra) {
    // Once shutdown has begun the node is not ready, so a balancer stops sending it requests.
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    BooleanSupplier stopping = () -> shutdown.getShutdownReason().isPresent();
    Route route =
        new Routes(engine, jwt, Clock.systemUTC(), metrics, stopping, maxInFlight, extra).route();
    return Http.get(system)
        .newServerAt(host, port)
        .adaptSettings(
            settings ->
                settings.withParsingErrorHandler(ProblemParsingErrorHandler.class.getName()))
        .bind(route);
  }
}
