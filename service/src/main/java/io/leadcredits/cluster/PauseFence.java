package io.leadcredits.cluster;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Refuses journal writes from a node that was stopped dead for long enough to have been downed
 * without knowing it: a SIGSTOP, a suspended VM, a stop-the-world pause. The other nodes mark a
 * silent node unreachable after the failure detector's pause and down it only after the resolver's
 * {@code stable-after} on top, then start its entities elsewhere; when it resumes it still believes
 * it owns them, and requests already waiting in its sockets would be written before Pekko tells it
 * it was downed (which takes a few hundred milliseconds). So a node that notices it was paused for
 * {@code stable-after} or more stops writing for good and shuts down: it cannot have been replaced
 * in less.
 *
 * <p>A ticker thread records the time every {@link #TICK}. A write is allowed only while the last
 * tick is recent: right after a resume the tick is old, so a write that runs before the ticker does
 * is refused too. Both the monotonic and the wall clock are watched, since a suspended VM may stop
 * the former.
 */
public final class PauseFence {
  /** How often the ticker runs: cheap, and far below any threshold worth setting. */
  public static final Duration TICK = Duration.ofMillis(100);

  private final long thresholdNanos;
  private final long thresholdMillis;
  private final LongSupplier nanos;
  private final LongSupplier wallMillis;
  private final Runnable onFenced;
  private final AtomicBoolean fenced = new AtomicBoolean();
  // Written by the ticker after `fenced`, read by writers before it: a writer that sees a fresh
  // tick also sees the fence the ticker raised before recording it.
  private volatile long lastTickNanos;
  private volatile long lastTickMillis;
  private volatile Thread ticker;

  PauseFence(Duration threshold, LongSupplier nanos, LongSupplier wallMillis, Runnable onFenced) {
    if (threshold.compareTo(TICK.multipliedBy(10)) < 0) {
      throw new IllegalArgumentException("pause threshold must be >= " + TICK.multipliedBy(10));
    }
    this.thresholdNanos = threshold.toNanos();
    this.thresholdMillis = threshold.toMillis();
    this.nanos = nanos;
    this.wallMillis = wallMillis;
    this.onFenced = onFenced;
    this.lastTickNanos = nanos.getAsLong();
    this.lastTickMillis = wallMillis.getAsLong();
  }

  /**
   * A fence on the system clocks whose ticker runs on a daemon thread until {@link #stop}; {@code
   * onFenced} runs once, on the ticker thread, when a pause is noticed.
   */
  public static PauseFence start(Duration threshold, Runnable onFenced) {
    PauseFence fence =
        new PauseFence(threshold, System::nanoTime, System::currentTimeMillis, onFenced);
    Thread thread = new Thread(fence::run, "leadcredits-pause-fence");
    thread.setDaemon(true);
    fence.ticker = thread;
    thread.start();
    return fence;
  }

  /** Stops the ticker: from now on writes are refused, as after a pause. */
  public void stop() {
    Thread thread = ticker;
    if (thread != null) {
      thread.interrupt();
    }
  }

  /** Whether this node may write to the journal now. */
  public boolean mayWrite() {
    long lastNanos = lastTickNanos;
    long lastMillis = lastTickMillis;
    if (fenced.get()) {
      return false;
    }
    return !paused(nanos.getAsLong() - lastNanos, wallMillis.getAsLong() - lastMillis);
  }

  /** Whether a pause was noticed; once it was, this node never writes again. */
  public boolean fenced() {
    return fenced.get();
  }

  /** One tick: raise the fence if the time since the last one says the node was stopped. */
  void tick() {
    long now = nanos.getAsLong();
    long wall = wallMillis.getAsLong();
    if (paused(now - lastTickNanos, wall - lastTickMillis) && fenced.compareAndSet(false, true)) {
      onFenced.run();
    }
    lastTickNanos = now;
    lastTickMillis = wall;
  }

  private boolean paused(long sinceNanos, long sinceMillis) {
    return sinceNanos >= thresholdNanos || sinceMillis >= thresholdMillis;
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      tick();
      try {
        Thread.sleep(TICK.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
