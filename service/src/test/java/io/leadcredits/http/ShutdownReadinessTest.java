package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.JwtSecret;
import io.leadcredits.support.InMemoryEngine;
import io.leadcredits.testkit.Contract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.Test;

/**
 * Once shutdown has begun, and while the server still answers, the readiness probe says so: a
 * balancer stops sending requests to a node that is leaving.
 */
class ShutdownReadinessTest {
  private static final Jwt JWT =
      new Jwt(JwtSecret.of("shutdown-readiness-secret-0123456789abcdef"), Clock.systemUTC());

  @Test
  void notReadyOnceShutdownBegins() throws Exception {
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "shutdown-readiness-test",
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
    ServerBinding binding =
        HttpServer.start(system, new InMemoryEngine(), JWT, "127.0.0.1", 0)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    URI ready =
        URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/health/ready");
    HttpClient client = HttpClient.newHttpClient();
    assertThat(get(client, ready).statusCode()).isEqualTo(200);

    // Hold the shutdown before the server unbinds, until the probe has been asked.
    CompletableFuture<Done> held = new CompletableFuture<>();
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "hold", () -> held);
    CompletableFuture<Done> stopped =
        shutdown.runAll(CoordinatedShutdown.unknownReason()).toCompletableFuture();
    try {
      HttpResponse<String> answer = get(client, ready);
      assertThat(answer.statusCode()).isEqualTo(503);
      assertThat(new ObjectMapper().readTree(answer.body()).get("detail").asText())
          .isEqualTo("shutting down");
    } finally {
      held.complete(Done.getInstance());
      stopped.get(30, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
    return Contract.checked(
        client.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString()));
  }
}
