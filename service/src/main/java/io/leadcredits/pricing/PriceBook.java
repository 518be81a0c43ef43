package io.leadcredits.pricing;

import io.leadcredits.Limits;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's copy of the prices, read from the {@link Pricing} entity's journal: what a lead reads
 * when a claim takes its slot, from memory, with no ask and no database round trip on the claim's
 * path. It reads the journal's new events every {@link Limits#priceBookRefreshInterval}, and at
 * once after a change made through this node (the change is answered only after), so a node shows
 * its own changes at once and another node's within about a second. Events are applied strictly in
 * sequence, so two reads at once apply each event once.
 */
public final class PriceBook implements PriceSource {
  private static final Logger log = LoggerFactory.getLogger(PriceBook.class);

  private final ActorSystem<?> system;
  private final JdbcReadJournal journal;
  private volatile PricingState state = PricingState.empty();
  private volatile PricesInForce inForce = PricesInForce.NONE;

  public PriceBook(ActorSystem<?> system, JdbcReadJournal journal) {
    this.system = system;
    this.journal = journal;
  }

  /** Reads the journal now, and from now on every refresh interval. */
  public void start(Duration firstReadTimeout) {
    try {
      refresh().toCompletableFuture().get(firstReadTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("the prices could not be read at start; reading again shortly: {}", e.toString());
    }
    Duration every = Limits.priceBookRefreshInterval;
    system
        .scheduler()
        .scheduleWithFixedDelay(
            every,
            every,
            () ->
                refresh()
                    .whenComplete(
                        (done, failure) -> {
                          if (failure != null) {
                            log.debug("reading the prices failed: {}", failure.toString());
                          }
                        }),
            system.executionContext());
  }

  /** Applies the events stored since the last read. */
  public CompletionStage<PricingState> refresh() {
    long after = state.sequenceNr();
    return journal
        .currentEventsByPersistenceId(Pricing.PERSISTENCE_ID.id(), after + 1, Long.MAX_VALUE)
        .runWith(Sink.foreach(this::apply), system)
        .thenApply(done -> state);
  }

  private synchronized void apply(EventEnvelope envelope) {
    if (envelope.sequenceNr() != state.sequenceNr() + 1) {
      return; // applied by another read already
    }
    state = state.apply((PricingEvent) envelope.event());
    inForce = state.inForce();
  }

  /** The whole state as this node knows it. */
  public PricingState state() {
    return state;
  }

  @Override
  public PricesInForce prices() {
    return inForce;
  }

  @Override
  public String tierOf(String tradieId) {
    return state.tierOf(tradieId);
  }
}
