package io.leadcredits.pricing;

import io.leadcredits.Rejection;
import io.leadcredits.pricing.PricingCommand.GetList;
import io.leadcredits.pricing.PricingCommand.SetList;
import io.leadcredits.pricing.PricingCommand.SetTier;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The prices: the versioned price list and the tradies' tiers, one entity for the whole service
 * (one live instance across the cluster, through sharding, under the id {@link #ID}). Its journal
 * is the history of every change (who, when, old → new version) and, read by the feed, the events
 * {@code pricing.changed} and {@code pricing.tier-changed}. Leads do not ask it on a claim's path:
 * every node keeps the state in memory ({@link PriceBook}), read from this journal.
 *
 * <p>Changes are an admin's, a handful a day, so it takes no snapshots: recovery replays them all.
 */
public final class Pricing
    extends EventSourcedBehaviorWithEnforcedReplies<PricingCommand, PricingEvent, PricingState> {

  public static final EntityTypeKey<PricingCommand> ENTITY_KEY =
      EntityTypeKey.create(PricingCommand.class, "Pricing");

  /** The one id the prices live under. */
  public static final String ID = "current";

  private final Clock clock;

  public static Pricing create(Clock clock) {
    return new Pricing(clock);
  }

  /** The journal of the prices: their whole history. */
  public static final PersistenceId PERSISTENCE_ID = PersistenceId.of(ENTITY_KEY.name(), ID);

  private Pricing(Clock clock) {
    super(
        PERSISTENCE_ID,
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.clock = clock;
  }

  @Override
  public PricingState emptyState() {
    return PricingState.empty();
  }

  @Override
  public CommandHandlerWithReply<PricingCommand, PricingEvent, PricingState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(SetList.class, this::onSetList)
        .onCommand(SetTier.class, this::onSetTier)
        .onCommand(GetList.class, this::onGetList)
        .build();
  }

  @Override
  public EventHandler<PricingState, PricingEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(PricingState::apply);
  }

  private ReplyEffect<PricingEvent, PricingState> onSetList(PricingState state, SetList c) {
    PricingRules.Decision d = PricingRules.setList(state, c.list(), c.by(), clock.instant());
    return decided(state, d, c.replyTo(), (s, replayed) -> listAnswer(s, replayed));
  }

  private ReplyEffect<PricingEvent, PricingState> onSetTier(PricingState state, SetTier c) {
    PricingRules.Decision d =
        PricingRules.setTier(state, c.tradieId(), c.tier(), c.by(), clock.instant());
    return decided(
        state,
        d,
        c.replyTo(),
        (s, replayed) ->
            new PricingReply.TierAnswer(c.tradieId(), s.tierOf(c.tradieId()), replayed));
  }

  private ReplyEffect<PricingEvent, PricingState> onGetList(PricingState state, GetList c) {
    return Effect().reply(c.replyTo(), listAnswer(state, false));
  }

  private interface Answer {
    PricingReply of(PricingState state, boolean replayed);
  }

  private ReplyEffect<PricingEvent, PricingState> decided(
      PricingState state,
      PricingRules.Decision decision,
      ActorRef<PricingReply> replyTo,
      Answer answer) {
    if (decision instanceof PricingRules.Refuse r) {
      return Effect().reply(replyTo, new PricingReply.Rejected(r.rejection(), r.detail()));
    }
    if (decision instanceof PricingRules.Repeat) {
      return Effect().reply(replyTo, answer.of(state, true));
    }
    PricingEvent event = ((PricingRules.Change) decision).event();
    return Effect().persist(event).thenReply(replyTo, s -> answer.of(s, false));
  }

  private static PricingReply listAnswer(PricingState s, boolean replayed) {
    if (s.list() == null) {
      return new PricingReply.Rejected(Rejection.NOT_FOUND, "no price list has been set");
    }
    return new PricingReply.PriceListAnswer(
        s.version(), s.list(), s.changedAt(), s.changedBy(), replayed);
  }
}
