package io.leadcredits.sink;

import java.time.Duration;

/**
 * What the sinks of the event feed report: the port {@code Metrics} implements. It sits below both
 * the sinks and the metrics, so neither names the other.
 */
public interface SinkMetrics {

  /** {@code events} more events were handed on by {@code sink}. */
  void published(String sink, int events);

  /** The age of the oldest event {@code sink} has not handed on yet; zero when it is caught up. */
  void sinkLag(String sink, Duration lag);

  /** One delivery attempt ended with {@code result}. */
  void delivery(DeliveryResult result);

  /** Reports nothing, for parts tested on their own. */
  SinkMetrics NONE =
      new SinkMetrics() {
        @Override
        public void published(String sink, int events) {}

        @Override
        public void sinkLag(String sink, Duration lag) {}

        @Override
        public void delivery(DeliveryResult result) {}
      };
}
