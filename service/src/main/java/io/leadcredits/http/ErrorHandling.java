package io.leadcredits.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every failure a problem response: unmatched routes (404), wrong methods (405), pekko's own
 * rejections (their status, our body), request timeouts and unexpected exceptions (503
 * OUTCOME_UNKNOWN, logged at ERROR: a bug or an outage, never a 500).
 */
final class ErrorHandling extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandling.class);

  RejectionHandler rejectionHandler() {
    return RejectionHandler.newBuilder()
        .handleAll(MethodRejection.class, this::methodNotAllowed)
        .handleNotFound(
            extractRequest(
                request ->
                    complete(
                        Problems.of(
                            ProblemCode.NOT_FOUND,
                            "no route for "
                                + request.method().name()
                                + " "
                                + request.getUri().path()))))
        .build()
        .withFallback(
            RejectionHandler.defaultHandler().mapRejectionResponse(ErrorHandling::asProblem));
  }

  ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder()
        .matchAny(failure -> complete(forException(failure)))
        .build();
  }

  /** The answer pekko gives when a request outlives {@code pekko.http.server.request-timeout}. */
  static HttpResponse timedOut(HttpRequest request) {
    log.warn("request timed out: {} {}", request.method().name(), request.getUri().path());
    return Problems.outcomeUnknown();
  }

  /** Expected client faults keep their status; anything else is logged as the bug it is. */
  static HttpResponse forException(Throwable failure) {
    Throwable cause = Problems.unwrap(failure);
    if (cause instanceof InvalidRequestException) {
      return Problems.invalid(cause.getMessage());
    }
    if (cause instanceof EntityStreamSizeException) {
      return Problems.of(ProblemCode.PAYLOAD_TOO_LARGE, "the request body is too large");
    }
    if (cause instanceof IllegalRequestException e) {
      return Problems.of(Problems.forStatus(e.status().intValue()), e.info().summary());
    }
    log.error("unexpected failure while serving a request; answered 503 OUTCOME_UNKNOWN", failure);
    return Problems.outcomeUnknown();
  }

  /**
   * Rewrites a response of pekko's default rejection handler as a problem with the same status
   * class; its text becomes the detail.
   */
  static HttpResponse asProblem(HttpResponse response) {
    int status = response.status().intValue();
    if (status < 400 || Problems.PROBLEM_JSON.equals(response.entity().getContentType())) {
      return response;
    }
    String detail =
        response.entity() instanceof HttpEntity.Strict strict
            ? strict.getData().decodeString(StandardCharsets.UTF_8)
            : null;
    HttpResponse problem = Problems.of(Problems.forStatus(status), detail);
    // Keep pekko's headers (Allow, WWW-Authenticate, …) that the problem response lacks.
    return problem.addHeaders(
        response.getHeaders().iterator().hasNext() ? headersNotIn(response, problem) : List.of());
  }

  private static List<HttpHeader> headersNotIn(HttpResponse from, HttpResponse into) {
    List<HttpHeader> extra = new ArrayList<>();
    for (var header : from.getHeaders()) {
      if (into.getHeader(header.name()).isEmpty()) {
        extra.add(header);
      }
    }
    return extra;
  }

  private Route methodNotAllowed(List<MethodRejection> rejections) {
    HttpMethod[] allowed =
        rejections.stream().map(MethodRejection::supported).distinct().toArray(HttpMethod[]::new);
    String names = String.join(", ", Arrays.stream(allowed).map(HttpMethod::name).toList());
    return complete(
        Problems.of(ProblemCode.METHOD_NOT_ALLOWED, "allowed: " + names)
            .addHeader(Allow.create(allowed)));
  }
}
