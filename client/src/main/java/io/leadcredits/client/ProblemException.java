package io.leadcredits.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/**
 * An answer of the service that is not a success, as its problem details (RFC 9457) say: {@link
 * #code()} is the stable code to branch on ({@code INSUFFICIENT_CREDITS}, {@code LEAD_FULL}, …).
 * Subclasses group the codes by what a caller does about them.
 */
public class ProblemException extends RuntimeException {
  private final int status;
  private final String code;
  private final String title;
  private final String detail;
  private final Duration retryAfter;
  private final transient JsonNode body;

  ProblemException(
      int status, String code, String title, String detail, Duration retryAfter, JsonNode body) {
    super(status + " " + code + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.retryAfter = retryAfter;
    this.body = body;
  }

  static ProblemException of(
      int status, String code, String title, String detail, Duration retryAfter, JsonNode body) {
    if (status == 402 || status == 409) {
      return new Conflict(status, code, title, detail, retryAfter, body);
    }
    if (status == 404) {
      return new NotFound(status, code, title, detail, retryAfter, body);
    }
    if (status == 401 || status == 403) {
      return new Unauthorized(status, code, title, detail, retryAfter, body);
    }
    if (status == 503) {
      return new Unavailable(status, code, title, detail, retryAfter, body);
    }
    if (status >= 400 && status < 500) {
      return new Invalid(status, code, title, detail, retryAfter, body);
    }
    return new ProblemException(status, code, title, detail, retryAfter, body);
  }

  public int status() {
    return status;
  }

  /** The stable code, e.g. {@code INSUFFICIENT_CREDITS}; {@code HTTP_<status>} without one. */
  public String code() {
    return code;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return detail;
  }

  /** The service's Retry-After, when it gave one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The whole problem document, for fields a code adds (a current price, a limit). */
  public JsonNode body() {
    return body;
  }

  /**
   * The request conflicts with the state: not enough credits (402), a lead full or closed, a
   * transaction id reused with other terms (409).
   */
  public static final class Conflict extends ProblemException {
    Conflict(int s, String c, String t, String d, Duration r, JsonNode b) {
      super(s, c, t, d, r, b);
    }
  }

  /** The account, lead, hold or endpoint does not exist. */
  public static final class NotFound extends ProblemException {
    NotFound(int s, String c, String t, String d, Duration r, JsonNode b) {
      super(s, c, t, d, r, b);
    }
  }

  /** No valid token (401), or the token's role or subject may not do this (403). */
  public static final class Unauthorized extends ProblemException {
    Unauthorized(int s, String c, String t, String d, Duration r, JsonNode b) {
      super(s, c, t, d, r, b);
    }
  }

  /** The request itself is wrong; sending it again changes nothing. */
  public static final class Invalid extends ProblemException {
    Invalid(int s, String c, String t, String d, Duration r, JsonNode b) {
      super(s, c, t, d, r, b);
    }
  }

  /**
   * The service could not answer now (overloaded, not ready, outcome unknown) and the client's
   * retries ran out; the same call may be made again later with the same transaction id.
   */
  public static final class Unavailable extends ProblemException {
    Unavailable(int s, String c, String t, String d, Duration r, JsonNode b) {
      super(s, c, t, d, r, b);
    }
  }
}
