package io.leadcredits.persistence;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool of daemon threads for blocking JDBC calls, with a bounded queue: past it a call is
 * rejected at once (its caller answers unavailable) instead of piling up behind a slow database.
 */
final class BlockingPool {
  private BlockingPool() {}

  static ThreadPoolExecutor of(String name, int threads, int queueLengthMax) {
    AtomicInteger threadNumber = new AtomicInteger();
    return new ThreadPoolExecutor(
        threads,
        threads,
        0L,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queueLengthMax),
        runnable -> {
          Thread thread = new Thread(runnable, name + "-" + threadNumber.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }
}
