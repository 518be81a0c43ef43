package io.leadcredits.bench;

import java.net.http.HttpRequest;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * One request of a workload: the bytes the load client writes, the same request for the JDK client
 * (built only when needed: to re-send an unknown outcome or describe an error, never per request),
 * and what to do with its answer's status (-1 transport failure, 0 timeout): the workload records
 * acknowledged changes in its {@link Ledger} there.
 */
record Op(Supplier<HttpRequest> request, byte[] wire, IntConsumer onStatus) {
  /** Returned by a workload that has stopped: the client ends its loop. */
  static final Op STOP = new Op(null, null, status -> {});
}
