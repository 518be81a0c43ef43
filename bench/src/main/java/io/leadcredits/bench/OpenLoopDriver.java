package io.leadcredits.bench;

import io.leadcredits.testkit.WireClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: requests go out on a fixed {@link ArrivalSchedule}, whether or not the ones
 * before them were answered, and each request's latency runs from the time it was due. A closed
 * loop waits for an answer before sending again, so a stalled server is asked less and the requests
 * that would have arrived during the stall are never measured (coordinated omission, as wrk2 and
 * HdrHistogram name it); here they are measured, each with the wait it would really have had.
 *
 * <p>In flight are at most {@code connections} requests, one per keep-alive connection of the
 * {@link WireClient}: an unbounded number would only move the queue from the server into the
 * generator's sockets. A request due while every connection is busy waits for the next free one,
 * its latency still counted from when it was due, and is counted as {@code late}; one that still
 * has no connection when the window closes is counted as {@code unsent}. The backlog is just the
 * schedule's index, so it costs no memory however far the server falls behind. One thread sends;
 * answers are handled on the client's selector thread, which hands the connection back.
 */
final class OpenLoopDriver {
  /** How long draining waits for requests still in flight (longer than the client timeout). */
  private static final Duration drainMax = WireClient.REQUEST_TIMEOUT.plusSeconds(5);

  private final WireClient http;
  private final Workload workload;
  private final int connections;

  /**
   * Connections with no request in flight. A workload keeps per-client state (sequence numbers, the
   * hold to capture next) by client index, and a connection carries one request at a time, so the
   * connection's index serves as the client's.
   */
  private final BlockingQueue<Integer> free;

  OpenLoopDriver(WireClient http, Workload workload, int connections) {
    this.http = http;
    this.workload = workload;
    this.connections = connections;
    this.free = new ArrayBlockingQueue<>(connections);
    for (int c = 0; c < connections; c++) {
      free.add(c);
    }
  }

  /**
   * Offers {@code rate} requests a second from now: {@code settle} unmeasured, then the measured
   * {@code window}; returns once the window has closed and the requests still in flight were
   * answered or timed out.
   */
  OpenLoopStats run(long rate, Duration settle, Duration window) throws InterruptedException {
    ArrivalSchedule schedule = new ArrivalSchedule(System.nanoTime(), rate);
    long windowStart = schedule.startNanos() + settle.toNanos();
    long windowEnd = windowStart + window.toNanos();
    long first = schedule.firstIndexAtOrAfter(windowStart);
    long end = schedule.firstIndexAtOrAfter(windowEnd);
    OpenLoopStats stats = new OpenLoopStats();
    long i = 0;
    for (; i < end; i++) {
      long due = schedule.intendedNanos(i);
      waitUntil(due);
      Integer connection = free.poll();
      boolean waited = connection == null;
      if (waited) {
        connection = free.poll(Math.max(0, windowEnd - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (connection == null) {
          break;
        }
      }
      Op op = next(connection);
      if (op == Op.STOP) {
        free.add(connection);
        break;
      }
      boolean measured = i >= first;
      if (measured) {
        stats.sent(System.nanoTime() - due, waited);
      }
      send(connection, op, due, measured, windowStart, windowEnd, stats);
    }
    stats.unsent(Math.max(0, end - Math.max(i, first)));
    waitUntil(windowEnd);
    if (!drain()) {
      stats.sampleError("some requests were still unanswered " + drainMax.toSeconds() + " s later");
    }
    return stats;
  }

  /** No more requests: the workload is told to stop. */
  void stop() {
    workload.stop();
  }

  /** Waits until every connection is free again; false if some request never came back. */
  private boolean drain() throws InterruptedException {
    long deadline = System.nanoTime() + drainMax.toNanos();
    List<Integer> taken = new ArrayList<>(connections);
    try {
      while (taken.size() < connections) {
        Integer c = free.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (c == null) {
          return false;
        }
        taken.add(c);
      }
      return true;
    } finally {
      // The very ones taken: a connection still busy hands itself back when its answer comes.
      free.addAll(taken);
    }
  }

  /** The workload's next request for this connection, which must be ready at once. */
  private Op next(int connection) {
    Op op = workload.next(connection).toCompletableFuture().getNow(null);
    if (op == null) {
      // A workload that waits (hot-lead's rounds) would stall the schedule: the sender is one
      // thread.
      throw new IllegalStateException("an open-loop workload must have its next request ready");
    }
    return op;
  }

  private void send(
      int connection,
      Op op,
      long due,
      boolean measured,
      long windowStart,
      long windowEnd,
      OpenLoopStats stats) {
    http.send(
        connection,
        op.wire(),
        (status, body) -> {
          long now = System.nanoTime();
          Outcome outcome = Outcome.of(status);
          if (measured) {
            stats.answered(outcome, now - due);
            if (outcome == Outcome.ERROR || outcome == Outcome.TIMEOUT) {
              stats.sampleError(LoadDriver.describe(op, status, body));
            }
          }
          if (now >= windowStart && now < windowEnd) {
            stats.answeredDuringWindow();
          }
          try {
            op.onStatus().accept(status);
          } finally {
            free.add(connection);
          }
        });
  }

  private static void waitUntil(long nanos) {
    long left;
    while ((left = nanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }
}
