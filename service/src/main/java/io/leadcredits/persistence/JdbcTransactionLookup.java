package io.leadcredits.persistence;

import io.leadcredits.account.Account;
import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.TransactionLookup;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import javax.sql.DataSource;
import org.apache.pekko.serialization.Serialization;

/**
 * Looks an account's transactions up in the journal by id, one probe per id of the index of {@code
 * V9__journal_transaction_id_column.sql} over the column the account's event adapter writes each
 * event's transaction id into, and reads the events back with the serializer that wrote them. JDBC
 * blocks, so queries run on this lookup's own small pool with a bounded queue: past it a look-up
 * fails at once and its commands are answered unavailable, instead of piling up.
 */
public final class JdbcTransactionLookup implements TransactionLookup, AutoCloseable {
  /**
   * Look-ups are rare (a repeat of an old id, or a filter's false "maybe"): two threads suffice.
   */
  private static final int THREADS = 2;

  private static final int QUEUE_LENGTH_MAX = 10_000;

  /**
   * One probe of the index per id asked, whatever PostgreSQL knows of the journal. Asked as {@code
   * adapter_manifest = ANY (?)}, the planner was free to take the account's whole range of the
   * index and filter the ids out of it, and before a new journal's first ANALYZE it did, from a
   * single id on: a hot account's look-up read every event of the account (0.4 s at 200,000 events)
   * and the commands waiting for it timed out. Here each id is its own lateral subquery, and OFFSET
   * 0 keeps the subquery from being flattened into a join the planner could hash: what is left to
   * choose is how to find one (account, id) pair, and the index over exactly those two columns
   * answers it with both as its condition. The LIKE repeats the index's predicate word for word, so
   * the planner may use the partial index. Bound by {@link #bind}.
   */
  static final String EVENTS =
      "SELECT e.event_ser_id, e.event_ser_manifest, e.event_payload"
          + " FROM unnest(?::text[]) AS t(id)"
          + " CROSS JOIN LATERAL ("
          + "SELECT sequence_number, event_ser_id, event_ser_manifest, event_payload"
          + " FROM event_journal"
          + " WHERE persistence_id = ? AND persistence_id LIKE 'Account|%'"
          + " AND adapter_manifest = t.id"
          + " OFFSET 0) e"
          + " ORDER BY e.sequence_number";

  // Each claim debit's transaction id is its claim id (clm_…) and each refund credit's its refund
  // id
  // (rfd_…); a refund's promotional grant may expire later under the same id, hence DISTINCT.
  static final String CLAIMS_AND_REFUNDS =
      "SELECT count(DISTINCT adapter_manifest) FILTER (WHERE left(adapter_manifest, 4) = 'clm_'),"
          + " count(DISTINCT adapter_manifest) FILTER (WHERE left(adapter_manifest, 4) = 'rfd_')"
          + " FROM event_journal WHERE persistence_id = ? AND write_timestamp >= ?";

  private final DataSource dataSource;
  private final Serialization serialization;
  private final ThreadPoolExecutor executor;

  public JdbcTransactionLookup(DataSource dataSource, Serialization serialization) {
    this.dataSource = dataSource;
    this.serialization = serialization;
    this.executor = BlockingPool.of("transaction-lookup", THREADS, QUEUE_LENGTH_MAX);
  }

  @Override
  public CompletionStage<List<AccountEvent>> events(
      String accountId, Collection<String> transactionIds) {
    String persistenceId = Account.persistenceId(accountId).id();
    String[] ids = transactionIds.stream().distinct().toArray(String[]::new);
    try {
      return CompletableFuture.supplyAsync(() -> query(persistenceId, ids), executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private List<AccountEvent> query(String persistenceId, String[] ids) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(EVENTS)) {
      Array array = bind(c, s, persistenceId, ids);
      List<AccountEvent> events = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          events.add(
              (AccountEvent)
                  serialization.deserialize(rs.getBytes(3), rs.getInt(1), rs.getString(2)).get());
        }
      }
      array.free();
      return events;
    } catch (SQLException e) {
      throw new IllegalStateException("looking up transactions failed: " + e.getMessage(), e);
    }
  }

  /**
   * Binds {@link #EVENTS}'s parameters. The ids must be distinct: each is probed once, and an id
   * asked twice would read its events twice. Returns the array, for the caller to free.
   */
  static Array bind(Connection c, PreparedStatement s, String persistenceId, String[] ids)
      throws SQLException {
    Array array = c.createArrayOf("text", ids);
    s.setArray(1, array);
    s.setString(2, persistenceId);
    return array;
  }

  @Override
  public CompletionStage<ClaimsAndRefunds> claimsAndRefundsSince(
      String accountId, java.time.Instant since) {
    String persistenceId = Account.persistenceId(accountId).id();
    try {
      return CompletableFuture.supplyAsync(
          () -> {
            try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(CLAIMS_AND_REFUNDS)) {
              s.setString(1, persistenceId);
              s.setLong(2, since.toEpochMilli());
              try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new ClaimsAndRefunds(rs.getLong(1), rs.getLong(2));
              }
            } catch (SQLException e) {
              throw new IllegalStateException("counting refunds failed: " + e.getMessage(), e);
            }
          },
          executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Stops taking look-ups; those already queued still run. */
  @Override
  public void close() {
    executor.shutdown();
  }
}
