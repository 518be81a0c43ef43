package io.leadcredits.http;

import io.leadcredits.http.Endpoints.Endpoint;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Rejection;
import org.apache.pekko.http.javadsl.server.Rejections;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.Uri;

/**
 * Serves a request by the route table: the template its path matched ({@link Endpoints#match})
 * picks the endpoints, the request's method the one whose handler answers, given the path's
 * parameters. A path that matches with another method is rejected with the methods the path has,
 * which the rejection handler answers 405 with {@code Allow}; a path that matches no template is
 * never dispatched here, and is 404 unless a route after the table takes it.
 */
final class Dispatch extends AllDirectives {
  private final Handlers handlers;

  Dispatch(Handlers handlers) {
    this.handlers = handlers;
  }

  /**
   * The route for the requests whose path matched template {@code index} of {@link
   * Endpoints#TEMPLATES}, built once: serving a request only compares its method and reads the
   * parameters' segments.
   */
  Route template(int index) {
    String template = Endpoints.TEMPLATES.get(index);
    List<Endpoint> endpoints =
        Endpoints.ALL.stream().filter(e -> e.template().equals(template)).toList();
    String[] methods = endpoints.stream().map(Endpoint::method).toArray(String[]::new);
    Endpoints.Handler[] served =
        endpoints.stream().map(Endpoint::handler).toArray(Endpoints.Handler[]::new);
    Rejection[] allowed =
        endpoints.stream()
            .map(e -> Rejections.method(HttpMethods.lookup(e.method()).orElseThrow()))
            .toArray(Rejection[]::new);
    Route wrongMethod = reject(allowed[0], tail(allowed));
    int first = Endpoints.parameterSegment(index, 0);
    int second = Endpoints.parameterSegment(index, 1);
    return extractRequest(
        request -> {
          String method = request.method().value();
          for (int i = 0; i < methods.length; i++) {
            if (methods[i].equals(method)) {
              Uri.Path path = first < 0 ? null : request.getUri().asScala().path();
              return served[i].serve(handlers, segment(path, first), segment(path, second));
            }
          }
          return wrongMethod;
        });
  }

  /**
   * Segment {@code index} (counted from 0) of a path, decoded as pekko's path matchers give it (an
   * escaped slash stays inside its segment), or null for -1. The path matched a template, so the
   * segment is there.
   */
  private static String segment(Uri.Path path, int index) {
    if (index < 0) {
      return null;
    }
    int seen = 0;
    for (Uri.Path rest = path; !rest.isEmpty(); rest = rest.tail()) {
      if (rest.startsWithSegment() && seen++ == index) {
        return (String) rest.head();
      }
    }
    throw new IllegalStateException("no segment " + index + " in " + path);
  }

  private static Rejection[] tail(Rejection[] all) {
    Rejection[] rest = new Rejection[all.length - 1];
    System.arraycopy(all, 1, rest, 0, rest.length);
    return rest;
  }
}
