package io.leadcredits.audit;

import io.leadcredits.account.Account;
import io.leadcredits.account.AccountEvent;
import io.leadcredits.lead.Lead;
import io.leadcredits.lead.LeadEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Reads every account and lead journal from its first event through the JDBC read journal and feeds
 * them to an {@link InvariantChecker}. Snapshots are not used: the check is of the events, the only
 * record that counts. Shared by the live audit endpoint and the offline {@code verify}.
 */
public final class JournalAudit {
  /** Journals read at once; a lead's is held whole while it is checked, an account's is folded. */
  private static final int journalsInFlightMax = 4;

  private static final String ACCOUNT_PREFIX =
      Account.ENTITY_KEY.name() + PersistenceId.DefaultSeparator();
  private static final String LEAD_PREFIX =
      Lead.ENTITY_KEY.name() + PersistenceId.DefaultSeparator();

  /** The checker's report and how many events it read. */
  public record Result(AuditReport report, long eventsChecked) {}

  private final ActorSystem<?> system;
  private final JdbcReadJournal journal;

  public JournalAudit(ActorSystem<?> system) {
    this.system = system;
    this.journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  /** Checks the journals as they are now; events written meanwhile may or may not be seen. */
  public CompletionStage<Result> run() {
    InvariantChecker checker = new InvariantChecker();
    long[] events = {0};
    return journal
        .currentPersistenceIds()
        .filter(pid -> pid.startsWith(ACCOUNT_PREFIX) || pid.startsWith(LEAD_PREFIX))
        .mapAsync(journalsInFlightMax, this::read)
        // The checker is not thread-safe: feed it from one stage, in order.
        .runForeach(
            journal -> {
              if (journal instanceof InvariantChecker.AccountTrail trail) {
                events[0] += trail.events();
                checker.add(trail);
              } else {
                Map.Entry<?, ?> lead = (Map.Entry<?, ?>) journal;
                List<LeadEvent> leadEvents =
                    ((List<?>) lead.getValue()).stream().map(LeadEvent.class::cast).toList();
                events[0] += leadEvents.size();
                checker.lead((String) lead.getKey(), leadEvents);
              }
            },
            system)
        .thenApply(done -> new Result(checker.report(), events[0]));
  }

  /**
   * An account's journal folded into its trail as it is read (a hot account's is millions of
   * events, more than the heap holds); a lead's, a thousand claims at most, read whole.
   */
  private CompletionStage<Object> read(String pid) {
    var events = journal.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE);
    if (pid.startsWith(ACCOUNT_PREFIX)) {
      return events
          .runFold(
              new InvariantChecker.AccountTrail(pid.substring(ACCOUNT_PREFIX.length())),
              (trail, e) -> {
                trail.accept((AccountEvent) e.event());
                return trail;
              },
              system)
          .thenApply(trail -> trail);
    }
    return events
        .map(EventEnvelope::event)
        .runWith(Sink.seq(), system)
        .thenApply(all -> Map.entry(pid.substring(LEAD_PREFIX.length()), all));
  }
}
