package io.leadcredits.bench;

/**
 * What became of one request, as the report counts it: 2xx accepted; 402 and 409 rejected (the
 * engine said no, permanently); everything else an error (5xx, transport failures, and any other
 * 4xx, which would be a bug in the benchmark); a client-side timeout is counted on its own.
 */
enum Outcome {
  ACCEPTED,
  REJECTED,
  ERROR,
  TIMEOUT;

  /** Status -1 is a transport failure, 0 a timeout. */
  static Outcome of(int status) {
    if (status >= 200 && status < 300) {
      return ACCEPTED;
    }
    if (status == 402 || status == 409) {
      return REJECTED;
    }
    return status == 0 ? TIMEOUT : ERROR;
  }

  /** Accepted or rejected: the engine decided, so the client knows whether it happened. */
  boolean decided() {
    return this == ACCEPTED || this == REJECTED;
  }
}
