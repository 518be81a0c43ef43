package io.leadcredits.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one sink of the event feed reports, labelled by the sink ({@code kafka}, {@code webhooks}):
 * the events it has handed on, and its lag, the age of the oldest event it has not handed on yet
 * (zero when it has handed on everything it has seen).
 */
public final class EventSinkMeters {
  /** No event is waiting to be handed on. */
  private static final long NONE = Long.MIN_VALUE;

  private final Counter published;
  private final AtomicLong oldestPendingMillis = new AtomicLong(NONE);

  EventSinkMeters(MeterRegistry registry, String sink) {
    published =
        Counter.builder("leadcredits.events.published")
            .description("events a sink has handed on (at least once each)")
            .tag("sink", sink)
            .register(registry);
    Gauge.builder("leadcredits.event.sink.lag.seconds", this, EventSinkMeters::lagSeconds)
        .description("age of the oldest event a sink has not handed on yet")
        .tag("sink", sink)
        .register(registry);
  }

  /** {@code events} more were handed on. */
  public void published(int events) {
    published.increment(events);
  }

  /** The oldest event not handed on yet was stored at {@code timestamp}. */
  public void pendingSince(Instant timestamp) {
    oldestPendingMillis.set(timestamp.toEpochMilli());
  }

  /** Everything seen so far was handed on. */
  public void caughtUp() {
    oldestPendingMillis.set(NONE);
  }

  private double lagSeconds() {
    long oldest = oldestPendingMillis.get();
    return oldest == NONE ? 0 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
  }
}
