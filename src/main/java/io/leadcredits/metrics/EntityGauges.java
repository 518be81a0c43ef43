package io.leadcredits.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live entities of one type on this node and the length of the queue each owns. An entity
 * registers a {@link Queue} when it starts and closes it when it stops; it writes its queue length
 * with a volatile store, and only a scrape walks the entities to add them up. So the hot path pays
 * one store per change, and {@code entities_active}, {@code actor_queue_size} (the sum) and {@code
 * actor_queue_size_max} (the longest queue) are read from the same registrations.
 */
public final class EntityGauges {

  /** One entity's queue: the messages it holds waiting for their turn. */
  public final class Queue implements AutoCloseable {
    private final String entityId;
    private volatile int length;

    private Queue(String entityId) {
      this.entityId = entityId;
    }

    public void set(int length) {
      this.length = length;
    }

    /** The entity stopped: it no longer counts. */
    @Override
    public void close() {
      queues.remove(entityId, this);
    }
  }

  private final ConcurrentHashMap<String, Queue> queues = new ConcurrentHashMap<>();

  EntityGauges(MeterRegistry registry, String entityType) {
    Gauge.builder("entities.active", queues, ConcurrentHashMap::size)
        .tag("entity_type", entityType)
        .description("entities of this type live on this node")
        .register(registry);
    Gauge.builder("actor.queue.size", this, EntityGauges::sum)
        .tag("entity_type", entityType)
        .description("messages waiting inside entities of this type, summed over them")
        .register(registry);
    Gauge.builder("actor.queue.size.max", this, EntityGauges::max)
        .tag("entity_type", entityType)
        .description("the longest queue of one entity of this type")
        .register(registry);
  }

  /**
   * Registers a started entity. A restarted incarnation of the same id replaces the old one, which
   * then no longer counts even if it closes late.
   */
  public Queue register(String entityId) {
    Queue q = new Queue(entityId);
    queues.put(entityId, q);
    return q;
  }

  private double sum() {
    long sum = 0;
    for (Queue q : queues.values()) {
      sum += q.length;
    }
    return sum;
  }

  private double max() {
    int max = 0;
    for (Queue q : queues.values()) {
      max = Math.max(max, q.length);
    }
    return max;
  }
}
