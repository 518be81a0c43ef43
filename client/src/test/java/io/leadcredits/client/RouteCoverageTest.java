package io.leadcredits.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client has a method for every route of the service's OpenAPI document, and no method for a
 * route the document lacks. The dashboard's page and its files are for browsers, not clients.
 */
class RouteCoverageTest {
  private static final Set<String> forBrowsers = Set.of("GET /", "GET /dashboard/{file}");

  @TempDir Path dataDir;

  @Test
  void everyRouteOfTheDocumentHasAClientMethod() {
    Set<String> documented = new TreeSet<>();
    try (LiveService live = new LiveService(dataDir)) {
      JsonNode paths = live.admin().operations().openApi().path("paths");
      for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> path = it.next();
        path.getValue()
            .fieldNames()
            .forEachRemaining(
                method -> {
                  if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                    documented.add(method.toUpperCase() + " " + path.getKey());
                  }
                });
      }
    }
    documented.removeAll(forBrowsers);

    Set<String> covered = new TreeSet<>();
    Stream.of(
            Accounts.class,
            Leads.class,
            Events.class,
            Webhooks.class,
            Operations.class,
            Pricing.class,
            Refunds.class)
        .flatMap(type -> Stream.of(type.getDeclaredMethods()))
        .map(method -> method.getAnnotation(Route.class))
        .filter(route -> route != null)
        .forEach(route -> covered.add(route.value()));

    assertThat(covered).as("client methods for the document's routes").containsAll(documented);
    assertThat(documented).as("routes of the client's methods").containsAll(covered);
  }
}
