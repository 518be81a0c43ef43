package io.leadcredits.bench;

import java.net.http.HttpRequest;
import java.util.function.IntConsumer;

/**
 * One request of a workload (for the JDK client, and as the bytes the load client writes) and what
 * to do with its answer's status (-1 transport failure, 0 timeout): the workload records
 * acknowledged changes in its {@link Ledger} there.
 */
record Op(HttpRequest request, byte[] wire, IntConsumer onStatus) {
  /** Returned by a workload that has stopped: the client ends its loop. */
  static final Op STOP = new Op(null, null, status -> {});
}
