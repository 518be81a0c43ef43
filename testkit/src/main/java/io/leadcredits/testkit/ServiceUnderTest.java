package io.leadcredits.testkit;

import java.net.URI;

/**
 * A running service that a test or the benchmark drives over HTTP, whether it runs in the caller's
 * JVM or in a child JVM: where it listens, a client of it, and how to stop it. Code written against
 * this runs against either.
 */
public interface ServiceUnderTest extends AutoCloseable {
  /** Where its HTTP API listens, such as {@code http://127.0.0.1:20123/}. */
  default URI base() {
    return api().base();
  }

  /** Its HTTP port. */
  default int port() {
    return base().getPort();
  }

  /** A client of it, holding tokens it accepts. */
  HttpApi api();

  /** Stops it gracefully, if it still runs. */
  @Override
  void close();
}
