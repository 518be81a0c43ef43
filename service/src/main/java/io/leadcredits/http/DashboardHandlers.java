package io.leadcredits.http;

import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The operations dashboard: {@code /} is its page, {@code /dashboard/…} its scripts and styles,
 * plain files from the classpath ({@code src/main/resources/dashboard}). The files are public;
 * every number on the page comes from the API with the admin token the page asks for. Their methods
 * and paths are in {@link Endpoints}.
 */
final class DashboardHandlers extends AllDirectives {
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

  private final Route page = served(DIRECTORY + "/index.html");

  Route page() {
    return page;
  }

  /**
   * A file of the directory, named by one path segment: a name that could step out of it (as
   * pekko's {@code getFromResourceDirectory} refuses them) is answered as a file that does not
   * exist.
   */
  Route file(String name) {
    if (name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      return reject();
    }
    return served(DIRECTORY + "/" + name);
  }

  private Route served(String resource) {
    return respondWithHeaders(HEADERS, () -> getFromResource(resource));
  }
}
