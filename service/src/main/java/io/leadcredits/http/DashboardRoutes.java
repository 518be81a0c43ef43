package io.leadcredits.http;

import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The operations dashboard: {@code /} is its page, {@code /dashboard/…} its scripts and styles,
 * plain files from the classpath ({@code src/main/resources/dashboard}). The files are public;
 * every number on the page comes from the API with the admin token the page asks for.
 */
final class DashboardRoutes extends AllDirectives {
  private static final String DIRECTORY = "dashboard";

  /**
   * The page loads only what this service serves (no CDN, no inline script) and talks only to it;
   * no other site may frame it. Revalidated on every load, so a new version shows at once.
   */
  private static final List<HttpHeader> HEADERS =
      List.of(
          RawHeader.create(
              "Content-Security-Policy",
              "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
                  + " frame-ancestors 'none'"),
          RawHeader.create("X-Content-Type-Options", "nosniff"),
          RawHeader.create("Referrer-Policy", "no-referrer"),
          RawHeader.create("Cache-Control", "no-cache"));

  /** Paths first, then the method: a POST elsewhere stays a 404, not a 405 from here. */
  Route route() {
    return concat(
        pathSingleSlash(() -> served(() -> getFromResource(DIRECTORY + "/index.html"))),
        pathPrefix(DIRECTORY, () -> served(() -> getFromResourceDirectory(DIRECTORY))));
  }

  private Route served(Supplier<Route> files) {
    return get(() -> respondWithHeaders(HEADERS, files));
  }
}
