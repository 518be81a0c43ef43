package io.leadcredits.bench;

import io.leadcredits.testkit.Request;
import io.leadcredits.testkit.WireClient;
import java.util.function.IntConsumer;

/**
 * One request of a workload: the request, the same request as the bytes the load client writes, and
 * what to do with its answer's status (-1 transport failure, 0 timeout): the workload records what
 * its client was told in the run's {@link io.leadcredits.testkit.OperationLog} there.
 */
record Op(Request request, byte[] wire, IntConsumer onStatus, WireClient.Callback onBody) {
  /** A request whose body is not looked at, only its status. */
  Op(Request request, byte[] wire, IntConsumer onStatus) {
    this(request, wire, onStatus, (status, body) -> {});
  }

  /** Returned by a workload that has stopped: the client ends its loop. */
  static final Op STOP = new Op(null, null, status -> {});
}
