package io.leadcredits.it;

import io.leadcredits.support.Await;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.OperationLog.Operation;
import io.leadcredits.testkit.OperationLog.Outcome;
import io.leadcredits.testkit.OperationLog.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Workers writing credits, debits and claims (on the given leads, each tradie once) with fresh
 * transaction ids until stopped, recording every answer in an {@link OperationLog} and counting
 * answers by status and problem code, and the slowest answer.
 */
final class WriteLoad {
  final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
  final AtomicLong slowestNanos = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final Set<String> claimed = ConcurrentHashMap.newKeySet();

  private final int tradies;
  private final List<String> leads;
  private final Duration deadline;

  private WriteLoad(int tradies, List<String> leads, Duration deadline) {
    this.tradies = tradies;
    this.leads = List.copyOf(leads);
    this.deadline = deadline;
  }

  /** Tradies are t0..t(tradies-1); they need credits for debits and claims to succeed. */
  static WriteLoad start(
      HttpApi api,
      OperationLog ops,
      int workers,
      int tradies,
      List<String> leads,
      Duration deadline) {
    WriteLoad load = new WriteLoad(tradies, leads, deadline);
    for (int w = 0; w < workers; w++) {
      int worker = w;
      Thread t = new Thread(() -> load.work(worker, api, ops), "load-" + w);
      load.threads.add(t);
      t.start();
    }
    return load;
  }

  void awaitAcknowledged(long count) {
    Await.until(deadline, count + " acknowledged", () -> acknowledged.get() >= count);
  }

  long acknowledged() {
    return acknowledged.get();
  }

  void stop() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join();
    }
  }

  private void work(int worker, HttpApi api, OperationLog ops) {
    Random random = new Random(worker);
    long n = 0;
    while (running.get()) {
      String tradie = "t" + random.nextInt(tradies);
      String tx = "w" + worker + "-" + n++;
      int pick = random.nextInt(100);
      Operation op;
      if (pick < 10 && !leads.isEmpty()) {
        String lead = leads.get(random.nextInt(leads.size()));
        if (!claimed.add(lead + "/" + tradie)) {
          continue;
        }
        op = Operation.claim(lead, tradie);
      } else if (pick < 55) {
        op = Operation.credit(tradie, "c-" + tx, 1 + random.nextInt(20));
      } else {
        op = Operation.debit(tradie, "d-" + tx, 1 + random.nextInt(20));
      }
      long start = System.nanoTime();
      Result r = ops.send(api, op);
      slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
      String answer = r.status() + (r.code() == null ? "" : " " + r.code());
      answers.computeIfAbsent(answer, a -> new LongAdder()).increment();
      if (r.outcome() == Outcome.OK) {
        acknowledged.incrementAndGet();
      }
    }
  }
}
