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
  /** Journals read at once; each is held in memory whole while it is checked. */
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
        .mapAsync(
            journalsInFlightMax,
            pid ->
                journal
                    .currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE)
                    .map(EventEnvelope::event)
                    .runWith(Sink.seq(), system)
                    .thenApply(all -> Map.entry(pid, all)))
        // The checker is not thread-safe: feed it from one stage, in order.
        .runForeach(
            entry -> {
              events[0] += entry.getValue().size();
              check(checker, entry.getKey(), entry.getValue());
            },
            system)
        .thenApply(done -> new Result(checker.report(), events[0]));
  }

  private static void check(InvariantChecker checker, String pid, List<Object> events) {
    if (pid.startsWith(ACCOUNT_PREFIX)) {
      checker.account(
          pid.substring(ACCOUNT_PREFIX.length()),
          events.stream().map(AccountEvent.class::cast).toList());
    } else {
      checker.lead(
          pid.substring(LEAD_PREFIX.length()), events.stream().map(LeadEvent.class::cast).toList());
    }
  }
}
