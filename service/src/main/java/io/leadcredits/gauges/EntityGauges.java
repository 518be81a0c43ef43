package io.leadcredits.gauges;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The live entities of one type on this node and the length of the queue each owns. An entity
 * registers a {@link Queue} when it starts and closes it when it stops; it writes its queue length
 * with a volatile store, and only a scrape walks the entities to add them up. So the hot path pays
 * one store per change, and {@code entities_active}, {@code actor_queue_size} (the sum) and {@code
 * actor_queue_size_max} (the longest queue) are read from the same registrations.
 *
 * <p>In a package of its own, which depends on neither the entities nor {@code metrics}: {@code
 * Metrics} makes one per entity type in its registry and the entity shells register in them (an
 * account reaches its own through its {@code AccountMetrics} port). {@code metrics} depends on the
 * account, so a helper both use sits below both, or the packages would form a cycle.
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

  /** The gauges of {@code entityType}, registered in {@code registry}. */
  public EntityGauges(MeterRegistry registry, String entityType) {
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

  /** Gauges that no registry reads: for entities run on their own, as the entity tests do. */
  public static EntityGauges unread(String entityType) {
    return new EntityGauges(new CompositeMeterRegistry(), entityType);
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

  /**
   * The entity {@code behavior} makes of its queue, registered while its actor lives: the queue is
   * closed on PostStop whatever state the behavior is in (an event-sourced entity stopped while it
   * recovers never sees the signal itself).
   */
  public <T> Behavior<T> tracked(
      String entityId, Class<T> messages, Function<Queue, Behavior<T>> behavior) {
    return tracked(entityId, queue -> new ClosedOnStop<>(messages, queue), behavior);
  }

  /**
   * The same, behind an interceptor of the entity's own that owns the queue (an account's write
   * gate, which holds the waiting messages): one interceptor per entity, not two. Both are made
   * when the actor starts; an actor keeps its initial behavior for its whole life, so a behavior
   * made before would stay in memory with it.
   */
  public <T> Behavior<T> tracked(
      String entityId,
      Function<Queue, ClosedOnStop<T>> interceptor,
      Function<Queue, Behavior<T>> behavior) {
    return Behaviors.setup(
        ctx -> {
          Queue queue = register(entityId);
          return Behaviors.intercept(() -> interceptor.apply(queue), behavior.apply(queue));
        });
  }

  /**
   * Passes everything through; closes the queue when the actor stops. An entity that keeps a queue
   * of its own in an interceptor extends it and sets {@link #queue} as the queue changes.
   */
  public static class ClosedOnStop<T> extends BehaviorInterceptor<T, T> {
    protected final Queue queue;

    protected ClosedOnStop(Class<T> messages, Queue queue) {
      super(messages);
      this.queue = queue;
    }

    @Override
    public Behavior<T> aroundReceive(TypedActorContext<T> ctx, T msg, ReceiveTarget<T> target) {
      return target.apply(ctx, msg);
    }

    @Override
    public Behavior<T> aroundSignal(
        TypedActorContext<T> ctx, Signal signal, SignalTarget<T> target) {
      if (signal instanceof PostStop) {
        queue.close();
      }
      return target.apply(ctx, signal);
    }
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
