package io.leadcredits.http;

/**
 * A request the client must change before it can succeed: answered 400 {@code INVALID_REQUEST} with
 * the message as the detail. Thrown only by request parsing, caught by the routes.
 */
public final class InvalidRequestException extends RuntimeException {

  public InvalidRequestException(String detail) {
    super(detail, null, false, false); // an answer to the client, not a fault: no stack trace
  }
}
