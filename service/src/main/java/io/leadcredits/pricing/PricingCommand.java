package io.leadcredits.pricing;

import io.leadcredits.JsonSerializable;
import org.apache.pekko.actor.typed.ActorRef;

/** What the prices can be asked to do. Each replies {@link PricingReply}. */
public sealed interface PricingCommand extends JsonSerializable {

  /** Puts {@code list} in force as the next version, unless it is the one in force already. */
  record SetList(PriceList list, String by, ActorRef<PricingReply> replyTo)
      implements PricingCommand {}

  /** Sets the tradie's tier ({@code tier} null: none). */
  record SetTier(String tradieId, String tier, String by, ActorRef<PricingReply> replyTo)
      implements PricingCommand {}

  /** Reads the list in force; NOT_FOUND before any. */
  record GetList(ActorRef<PricingReply> replyTo) implements PricingCommand {}
}
