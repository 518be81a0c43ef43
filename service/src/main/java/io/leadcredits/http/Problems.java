package io.leadcredits.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadcredits.Rejection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * The one place where engine rejections become HTTP statuses, and where every error response is
 * written: {@code application/problem+json} with {@code type, title, status, code, detail}.
 */
public final class Problems {
  public static final ContentType PROBLEM_JSON =
      MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8, "json")
          .toContentType();

  /** What a client should do after an unknown outcome: the transaction id makes the retry safe. */
  public static final String RETRY_DETAIL = "retry with the same transaction id";

  /**
   * Seconds a client should wait before retrying a 503: long enough to shed a burst, short to
   * recover.
   */
  static final int RETRY_AFTER_SECONDS = 1;

  private Problems() {}

  public static ProblemCode code(Rejection rejection) {
    return switch (rejection) {
      case INVALID_REQUEST -> ProblemCode.INVALID_REQUEST;
      case NOT_FOUND -> ProblemCode.NOT_FOUND;
      case INSUFFICIENT_CREDITS -> ProblemCode.INSUFFICIENT_CREDITS;
      case LEAD_FULL -> ProblemCode.LEAD_FULL;
      case LEAD_CLOSED -> ProblemCode.LEAD_CLOSED;
      case IDEMPOTENCY_CONFLICT -> ProblemCode.IDEMPOTENCY_CONFLICT;
      case HOLD_NOT_ACTIVE -> ProblemCode.HOLD_NOT_ACTIVE;
      case TOO_MANY_HOLDS -> ProblemCode.TOO_MANY_HOLDS;
      case PRICE_ABOVE_MAX -> ProblemCode.PRICE_ABOVE_MAX;
      case NO_PRICE_LIST -> ProblemCode.NO_PRICE_LIST;
      case GRANT_NOT_ACTIVE -> ProblemCode.GRANT_NOT_ACTIVE;
      case TOO_MANY_GRANTS -> ProblemCode.TOO_MANY_GRANTS;
      case REFUND_WINDOW_CLOSED -> ProblemCode.REFUND_WINDOW_CLOSED;
      case REFUND_EXISTS -> ProblemCode.REFUND_EXISTS;
      case REFUND_DECIDED -> ProblemCode.REFUND_DECIDED;
    };
  }

  public static HttpResponse rejected(Rejection rejection, String detail) {
    return response(new Problem(code(rejection), detail));
  }

  public static HttpResponse of(ProblemCode code, String detail) {
    return response(new Problem(code, detail));
  }

  public static HttpResponse invalid(String detail) {
    return of(ProblemCode.INVALID_REQUEST, detail);
  }

  public static HttpResponse outcomeUnknown() {
    return of(ProblemCode.OUTCOME_UNKNOWN, RETRY_DETAIL);
  }

  public static HttpResponse unauthenticated(String detail) {
    return of(ProblemCode.UNAUTHENTICATED, detail);
  }

  public static HttpResponse forbidden(String detail) {
    return of(ProblemCode.FORBIDDEN, detail);
  }

  /** The response for a problem whose body has more fields than the standard ones. */
  public static HttpResponse response(Problem problem, ObjectNode body) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(problem.code().status()))
        .withEntity(PROBLEM_JSON, Json.bytes(body));
  }

  /** The response for a problem, with the headers its status calls for. */
  public static HttpResponse response(Problem problem) {
    ProblemCode code = problem.code();
    List<HttpHeader> headers = new ArrayList<>(1);
    if (code == ProblemCode.UNAUTHENTICATED) {
      headers.add(RawHeader.create("WWW-Authenticate", "Bearer"));
    }
    if (code.retryable()) {
      headers.add(RawHeader.create("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
    }
    return HttpResponse.create()
        .withStatus(StatusCodes.get(code.status()))
        .addHeaders(headers)
        .withEntity(PROBLEM_JSON, Json.bytes(body(problem)));
  }

  /** The problem's JSON body. */
  public static ObjectNode body(Problem problem) {
    ObjectNode node = Json.object();
    node.put("type", problem.code().type());
    node.put("title", problem.code().title());
    node.put("status", problem.code().status());
    node.put("code", problem.code().name());
    node.put("detail", problem.detail());
    return node;
  }

  /**
   * The problem for a failed engine stage: the engine refused to take the work (overloaded, nothing
   * attempted) or did not answer (outcome unknown: the client retries with the same id).
   */
  public static Problem engineFailure(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RejectedExecutionException
        || cause
            .getClass()
            .getName()
            .equals("org.apache.pekko.pattern.CircuitBreakerOpenException")) {
      return new Problem(ProblemCode.OVERLOADED, "the node is overloaded; retry shortly");
    }
    return new Problem(ProblemCode.OUTCOME_UNKNOWN, RETRY_DETAIL);
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The code for a status produced outside our routes (pekko's own rejections and errors). */
  public static ProblemCode forStatus(int status) {
    return switch (status) {
      case 400 -> ProblemCode.INVALID_REQUEST;
      case 401 -> ProblemCode.UNAUTHENTICATED;
      case 403 -> ProblemCode.FORBIDDEN;
      case 404 -> ProblemCode.NOT_FOUND;
      case 405 -> ProblemCode.METHOD_NOT_ALLOWED;
      case 413 -> ProblemCode.PAYLOAD_TOO_LARGE;
      case 415 -> ProblemCode.UNSUPPORTED_MEDIA_TYPE;
      default ->
          status >= 400 && status < 500 ? ProblemCode.INVALID_REQUEST : ProblemCode.OUTCOME_UNKNOWN;
    };
  }
}
