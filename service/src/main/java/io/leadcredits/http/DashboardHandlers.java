package io.leadcredits.http;

import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.MediaTypes;
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

  /**
   * The media type of each kind of file served, and so of each the OpenAPI document lists: pekko's
   * own table names scripts {@code application/javascript}, which RFC 9239 made obsolete for {@code
   * text/javascript}. A file of another kind is not served.
   */
  private static final Map<String, ContentType> TYPES =
      Map.of(
          ".html", MediaTypes.TEXT_HTML.toContentType(HttpCharsets.UTF_8),
          ".css", MediaTypes.TEXT_CSS.toContentType(HttpCharsets.UTF_8),
          ".js",
              MediaTypes.customWithOpenCharset("text", "javascript", Map.of(), true, "js")
                  .toContentType(HttpCharsets.UTF_8));

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
    ContentType type = TYPES.get(resource.substring(Math.max(0, resource.lastIndexOf('.'))));
    if (type == null) {
      return reject();
    }
    return respondWithHeaders(HEADERS, () -> getFromResource(resource, type));
  }
}
