package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.CreditEngine;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
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
      ActorSystem<?> system,
      CreditEngine engine,
      Jwt jwt,
      String host,
      int port,
      int maxInFlight,
      Route... extra) {
    Route route = new Routes(engine, jwt, Clock.systemUTC(), maxInFlight, extra).route();
    return Http.get(system)
        .newServerAt(host, port)
        .adaptSettings(
            settings ->
                settings.withParsingErrorHandler(ProblemParsingErrorHandler.class.getName()))
        .bind(route);
  }
}
