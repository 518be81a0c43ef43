package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.JwtSecret;
import io.leadcredits.support.InMemoryEngine;
import io.leadcredits.testkit.Contract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's files: served at / and /dashboard/, same-origin only, nothing else exposed. */
class DashboardRoutesTest {
  private static final Jwt JWT =
      new Jwt(JwtSecret.of("dashboard-test-secret-dashboard-test"), Clock.systemUTC());
  private static final HttpClient client = HttpClient.newHttpClient();
  private static ActorSystem<Void> system;
  private static ServerBinding binding;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "dashboard-routes-test",
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
    binding =
        HttpServer.start(system, new InMemoryEngine(), JWT, "127.0.0.1", 0)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  @AfterAll
  static void stop() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    return Contract.checked(
        client.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, BodyPublishers.noBody())
                .build(),
            BodyHandlers.ofString()));
  }

  @Test
  void thePageAndEveryFileItLoadsAreServedWithoutAToken() throws Exception {
    HttpResponse<String> page = send("GET", "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self'"));
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
    int files = 0;
    while (refs.find()) {
      String ref = refs.group(1);
      if (ref.startsWith("data:")) {
        continue;
      }
      assertThat(ref).as("served by the service itself").startsWith("/dashboard/");
      HttpResponse<String> file = send("GET", ref);
      assertThat(file.statusCode()).as(ref).isEqualTo(200);
      files++;
    }
    assertThat(files).isEqualTo(2);
    assertThat(send("GET", "/dashboard/app.js").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("javascript"));
    assertThat(send("GET", "/dashboard/style.css").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("text/css"));
  }

  @Test
  void everyModuleImportsOnlyModulesOfTheDashboard() throws Exception {
    Pattern imports = Pattern.compile("from '([^']+)'");
    for (String module :
        new String[] {
          "app.js",
          "api.js",
          "account.js",
          "chart.js",
          "format.js",
          "leads.js",
          "live.js",
          "prometheus.js",
          "refunds.js"
        }) {
      HttpResponse<String> file = send("GET", "/dashboard/" + module);
      assertThat(file.statusCode()).as(module).isEqualTo(200);
      Matcher m = imports.matcher(file.body());
      while (m.find()) {
        assertThat(m.group(1)).as(module).matches("\\./[a-z]+\\.js");
        assertThat(send("GET", "/dashboard/" + m.group(1).substring(2)).statusCode())
            .isEqualTo(200);
      }
    }
  }

  /**
   * Every file of the dashboard's directory, the page included, is served with a media type the
   * OpenAPI document lists for its route, as a contract-validating proxy in front of the service
   * would check.
   */
  @Test
  void everyFileIsServedWithAMediaTypeTheDocumentLists() throws Exception {
    Contract contract = Contract.fromClassPath().orElseThrow();
    // The served directory (the tests have a dashboard directory of their own too).
    Path directory =
        Path.of(getClass().getClassLoader().getResource("dashboard/index.html").toURI())
            .getParent();
    List<String> names;
    try (Stream<Path> files = Files.list(directory)) {
      names = files.map(f -> f.getFileName().toString()).sorted().toList();
    }
    assertThat(names).contains("index.html", "app.js", "style.css");
    for (String name : names) {
      String path = name.equals("index.html") ? "/" : "/dashboard/" + name;
      HttpResponse<String> r = send("GET", path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(
              contract.mismatches(
                  new Contract.Exchange(
                      "GET",
                      r.uri(),
                      r.statusCode(),
                      r.headers().firstValue("Content-Type").orElse(null),
                      r.headers().map(),
                      r.body())))
          .as(path + " served as " + r.headers().firstValue("Content-Type"))
          .isEmpty();
    }
    assertThat(send("GET", "/dashboard/app.js").headers().firstValue("Content-Type"))
        .contains("text/javascript; charset=UTF-8");
  }

  @Test
  void nothingElseIsServedAndOtherMethodsAreProblems() throws Exception {
    for (String path :
        new String[] {"/dashboard/missing.js", "/dashboard/%2e%2e/application.conf", "/nope"}) {
      HttpResponse<String> r = send("GET", path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).contains("application/problem+json"));
    }
    assertThat(send("POST", "/").statusCode()).isEqualTo(405);
    assertThat(send("POST", "/nope").statusCode()).isEqualTo(404);
  }
}
