package io.leadcredits.bench;

import io.leadcredits.testkit.WireClient;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop clients: each sends its next request as soon as its previous one was answered, so the
 * offered load is exactly N requests in flight (a real rush, not a fixed rate the server could fall
 * behind). A client's loop is a chain of callbacks on the HTTP client's completion threads: no
 * thread per client, and the latency of a request is measured from send to answer.
 */
final class LoadDriver {
  /** How long stopping waits for requests still in flight (longer than the client timeout). */
  private static final Duration drainMax = WireClient.REQUEST_TIMEOUT.plusSeconds(5);

  private final WireClient http;
  private final Workload workload;
  private final RunStats stats;
  private final CountDownLatch finished;

  LoadDriver(WireClient http, Workload workload, RunStats stats, int clients) {
    this.http = http;
    this.workload = workload;
    this.stats = stats;
    this.finished = new CountDownLatch(clients);
  }

  /** Starts every client's loop. */
  void start(int clients) {
    for (int c = 0; c < clients; c++) {
      loop(c);
    }
  }

  /** Stops the clients and waits for their last requests; false if some never came back. */
  boolean stop() throws InterruptedException {
    workload.stop();
    return finished.await(drainMax.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void loop(int client) {
    workload
        .next(client)
        .whenComplete(
            (op, failure) -> {
              if (failure != null || op == Op.STOP) {
                finished.countDown();
              } else {
                send(client, op);
              }
            });
  }

  private void send(int client, Op op) {
    long start = System.nanoTime();
    http.send(
        client,
        op.wire(),
        (status, body) -> {
          long latency = System.nanoTime() - start;
          Outcome outcome = Outcome.of(status);
          stats.record(outcome, latency);
          if (outcome == Outcome.ERROR || outcome == Outcome.TIMEOUT) {
            stats.sampleError(describe(op, status, body));
          }
          try {
            op.onBody().done(status, body);
            op.onStatus().accept(status);
          } finally {
            loop(client);
          }
        });
  }

  static String describe(Op op, int status, byte[] body) {
    String what = op.request() + " -> ";
    if (body == null) {
      return what + (status == 0 ? "timeout" : "connection failed");
    }
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    return what + status + " " + text.substring(0, Math.min(200, text.length()));
  }
}
