package io.leadcredits.cluster;

import io.leadcredits.support.Await;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.OperationLog.Operation;
import io.leadcredits.testkit.OperationLog.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients spread over the nodes that are in rotation, as behind a load balancer: credits, debits,
 * holds captured or released, and claims, each with its own transaction id, all recorded in an
 * {@link OperationLog}. A node is taken out of rotation before it is stopped and put back once it
 * serves again; a killed node is taken out after the fact, as a load balancer's health check would.
 * Every answer is counted by kind, so a test can tell retried 503s from real errors.
 */
final class ClusterLoad {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong acknowledged = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private final Set<String> claimed = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
  private final List<HttpApi> nodes;
  private final Set<Integer> inRotation = ConcurrentHashMap.newKeySet();
  private final OperationLog ops;
  private final List<String> tradies;
  private final List<String> leads;
  private final long holdTtlSeconds;

  private ClusterLoad(
      List<HttpApi> nodes,
      OperationLog ops,
      List<String> tradies,
      List<String> leads,
      long holdTtlSeconds) {
    this.nodes = List.copyOf(nodes);
    this.ops = ops;
    this.tradies = List.copyOf(tradies);
    this.leads = List.copyOf(leads);
    this.holdTtlSeconds = holdTtlSeconds;
    for (int i = 0; i < nodes.size(); i++) {
      inRotation.add(i);
    }
  }

  /** Starts {@code workers} clients; {@code nodes} are the nodes' APIs, by index. */
  static ClusterLoad start(
      int workers,
      long seed,
      List<HttpApi> nodes,
      OperationLog ops,
      List<String> tradies,
      List<String> leads,
      long holdTtlSeconds) {
    ClusterLoad load = new ClusterLoad(nodes, ops, tradies, leads, holdTtlSeconds);
    for (int w = 0; w < workers; w++) {
      String prefix = "s" + seed + "w" + w + "n";
      Random random = new Random(seed * 1_000 + w);
      Thread t = new Thread(() -> load.work(prefix, random), "cluster-load-" + w);
      load.threads.add(t);
      t.start();
    }
    return load;
  }

  void remove(int node) {
    inRotation.remove(node);
  }

  void add(int node) {
    inRotation.add(node);
  }

  private HttpApi pick(Random random) {
    List<Integer> live = new ArrayList<>(inRotation);
    return nodes.get(live.get(random.nextInt(live.size())));
  }

  private void work(String prefix, Random random) {
    long n = 0;
    while (running.get()) {
      String tradie = tradies.get(random.nextInt(tradies.size()));
      String tx = prefix + n++;
      int pick = random.nextInt(100);
      if (pick < 25 && !leads.isEmpty()) {
        String lead = leads.get(random.nextInt(leads.size()));
        if (claimed.add(lead + "/" + tradie)) {
          record(ops.send(pick(random), Operation.claim(lead, tradie)));
        }
      } else if (pick < 45) {
        record(ops.send(pick(random), Operation.credit(tradie, "c-" + tx, 1 + random.nextInt(60))));
      } else if (pick < 65) {
        record(ops.send(pick(random), Operation.debit(tradie, "d-" + tx, 1 + random.nextInt(40))));
      } else {
        reserveAndEnd(random, tradie, "h-" + tx);
      }
    }
  }

  /** A hold, then most often captured, sometimes released, sometimes left to expire. */
  private void reserveAndEnd(Random random, String tradie, String holdId) {
    long amount = 1 + random.nextInt(30);
    Operation reserve = Operation.reserve(tradie, holdId, amount, holdTtlSeconds);
    if (!record(ops.send(pick(random), reserve))) {
      return;
    }
    int end = random.nextInt(100);
    if (end < 60) {
      record(ops.send(pick(random), Operation.capture(tradie, holdId)));
    } else if (end < 85) {
      record(ops.send(pick(random), Operation.release(tradie, holdId)));
    }
  }

  private boolean record(OperationLog.Result r) {
    String kind = r.outcome() == Outcome.UNKNOWN && r.status() == 0 ? "no answer" : "" + r.status();
    answers.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    boolean ok = r.outcome() == Outcome.OK;
    if (ok) {
      acknowledged.incrementAndGet();
    }
    return ok;
  }

  long acknowledged() {
    return acknowledged.get();
  }

  /** Waits until {@code more} operations beyond those acknowledged so far are acknowledged. */
  void awaitMoreAcknowledged(long more, Duration deadline) {
    long target = acknowledged.get() + more;
    Await.until(deadline, target + " operations acknowledged", () -> acknowledged.get() >= target);
  }

  /** Stops sending and waits for the clients to finish the request each is sending. */
  void stop() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(30).toMillis());
    }
  }

  /** How many answers of each kind: an HTTP status, or "no answer". */
  Map<String, Long> answers() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    answers.forEach((k, v) -> counts.put(k, v.get()));
    return counts;
  }
}
