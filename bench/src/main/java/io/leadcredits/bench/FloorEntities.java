package io.leadcredits.bench;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * The least an entity can cost under the same sharding and journal: a plain actor that only
 * replies, and an event-sourced one whose state is one event's text. The heap probe measures them
 * beside the account to show which part of an account's heap is Pekko's and which is the engine's.
 */
final class FloorEntities {
  /** The message both floors take: an id to remember (event-sourced) or ignore, and a reply-to. */
  record Touch(String text, ActorRef<Done> replyTo) {}

  static final EntityTypeKey<Touch> PLAIN = EntityTypeKey.create(Touch.class, "FloorPlain");
  static final EntityTypeKey<Touch> PERSISTENT =
      EntityTypeKey.create(Touch.class, "FloorPersistent");

  private FloorEntities() {}

  static void init(ActorSystem<?> system) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(PLAIN, ctx -> plain()));
    sharding.init(
        Entity.of(PERSISTENT, ctx -> new Persistent(PersistenceId.of("Floor", ctx.getEntityId()))));
  }

  static CompletionStage<Done> touch(
      ActorSystem<?> system, EntityTypeKey<Touch> key, String id, Duration timeout) {
    return ClusterSharding.get(system)
        .entityRefFor(key, id)
        .ask(r -> new Touch("touched-" + id, r), timeout);
  }

  private static Behavior<Touch> plain() {
    return Behaviors.receiveMessage(
        t -> {
          t.replyTo().tell(Done.getInstance());
          return Behaviors.same();
        });
  }

  private static final class Persistent extends EventSourcedBehavior<Touch, String, String> {
    Persistent(PersistenceId id) {
      super(id);
    }

    @Override
    public String emptyState() {
      return "";
    }

    @Override
    public CommandHandler<Touch, String, String> commandHandler() {
      return (state, t) ->
          Effect().persist(t.text()).thenRun(s -> t.replyTo().tell(Done.getInstance()));
    }

    @Override
    public EventHandler<String, String> eventHandler() {
      return (state, event) -> event;
    }
  }
}
