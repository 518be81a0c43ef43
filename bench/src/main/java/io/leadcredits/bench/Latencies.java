package io.leadcredits.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A latency histogram in microseconds, safe to record into from many threads without a lock: exact
 * below 64 µs, then 32 buckets per power of two (at most about 3% error), up to about 12 days.
 * Recording is two atomic increments, so the load generator spends almost nothing on it.
 */
final class Latencies {
  private static final int linearMax = 64;
  private static final int subBuckets = 32;
  private static final int octaves = 40;

  private final AtomicLongArray counts = new AtomicLongArray(linearMax + octaves * subBuckets);
  private final AtomicLong maxMicros = new AtomicLong();
  private final AtomicLong total = new AtomicLong();

  void record(long micros) {
    long v = Math.max(0, micros);
    counts.incrementAndGet(index(v));
    total.incrementAndGet();
    maxMicros.accumulateAndGet(v, Math::max);
  }

  long count() {
    return total.get();
  }

  long maxMicros() {
    return maxMicros.get();
  }

  /** The value at quantile {@code q} (0..1), in microseconds: the middle of its bucket. */
  long quantileMicros(double q) {
    long n = total.get();
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * n));
    long seen = 0;
    for (int i = 0; i < counts.length(); i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return Math.min(middle(i), maxMicros.get());
      }
    }
    return maxMicros.get();
  }

  static int index(long v) {
    if (v < linearMax) {
      return (int) v;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(v); // 6 or more
    int octave = Math.min(exponent - 6, octaves - 1);
    int sub = (int) ((v >> (exponent - 5)) - subBuckets); // 0..31
    return linearMax + octave * subBuckets + sub;
  }

  static long middle(int index) {
    if (index < linearMax) {
      return index;
    }
    int octave = (index - linearMax) / subBuckets;
    int sub = (index - linearMax) % subBuckets;
    int exponent = octave + 6;
    long width = 1L << (exponent - 5);
    long low = (long) (subBuckets + sub) << (exponent - 5);
    return low + width / 2;
  }
}
