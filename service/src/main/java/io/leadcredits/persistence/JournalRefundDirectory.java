package io.leadcredits.persistence;

import io.leadcredits.account.Account;
import io.leadcredits.account.AccountEvent;
import io.leadcredits.claim.ClaimDebit;
import io.leadcredits.refund.Refund;
import io.leadcredits.refund.RefundDirectory;
import io.leadcredits.refund.RefundEvent;
import io.leadcredits.refund.RefundRules;
import io.leadcredits.refund.RefundState;
import io.leadcredits.refund.RefundStatus;
import io.leadcredits.refund.RefundView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.serialization.Serialization;

/**
 * Refunds read from their journals, as the audit trail is: each refund is the fold of its few
 * events, so a listing shows what is durable and wakes no entity. The index of each journal's first
 * event gives the refunds in id order, which is the page's cursor; each batch of ids is then folded
 * from its rows, read by primary key. A status filter is applied to the folded refunds, so a page
 * of a rare status reads past the others (in batches of {@link #IDS_PER_QUERY} refunds): fine for
 * an admin's review of refunds, a small share of claims; a read model kept from the feed would be
 * the next step past that.
 */
public final class JournalRefundDirectory implements RefundDirectory {
  private static final int IDS_PER_QUERY = 500;
  private static final String PREFIX = Refund.ENTITY_KEY.name() + "|";

  // The refunds are found through the index of each journal's first event (V4), whose
  // text_pattern_ops compare bytes whatever the database's collation: ~>~ and ~<~ are its order.
  static final String IDS =
      "SELECT persistence_id FROM event_journal WHERE sequence_number = 1"
          + " AND persistence_id LIKE 'Refund|%' AND persistence_id ~>~ ?"
          + " ORDER BY persistence_id USING ~<~ LIMIT ?";

  static final String EVENTS =
      "SELECT persistence_id, event_ser_id, event_ser_manifest, event_payload FROM event_journal"
          + " WHERE persistence_id = ANY (?) AND NOT deleted ORDER BY sequence_number";

  // A claim's debit has the claim id as its transaction id, which the account's event adapter
  // writes into adapter_manifest; the account's rows are read in order from its primary key.
  static final String CLAIM_DEBITS =
      "SELECT sequence_number, event_ser_id, event_ser_manifest, event_payload FROM event_journal"
          + " WHERE persistence_id = ? AND sequence_number > ? AND NOT deleted"
          + " AND left(adapter_manifest, 4) = 'clm_' ORDER BY sequence_number LIMIT ?";

  private final DataSource dataSource;
  private final Serialization serialization;
  private final Executor blocking;

  public JournalRefundDirectory(
      DataSource dataSource, Serialization serialization, Executor blocking) {
    this.dataSource = dataSource;
    this.serialization = serialization;
    this.blocking = blocking;
  }

  @Override
  public CompletionStage<Page> page(RefundStatus status, String after, int limit) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = dataSource.getConnection()) {
            return read(c, status, after, limit);
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }

  private Page read(Connection c, RefundStatus status, String after, int limit)
      throws SQLException {
    List<RefundView> items = new ArrayList<>();
    String from = PREFIX + (after == null ? "" : after);
    while (true) {
      List<String> ids = ids(c, from);
      Map<String, RefundState> states = fold(c, ids);
      for (String pid : ids) {
        add(items, pid, states.get(pid), status);
        if (items.size() == limit) {
          return new Page(List.copyOf(items), items.get(limit - 1).refundId());
        }
      }
      if (ids.size() < IDS_PER_QUERY) {
        return new Page(List.copyOf(items), null);
      }
      from = ids.get(ids.size() - 1);
    }
  }

  @Override
  public CompletionStage<ClaimPage> claims(String accountId, long after, int limit) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = dataSource.getConnection()) {
            return claims(c, accountId, after, limit);
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }

  private ClaimPage claims(Connection c, String accountId, long after, int limit)
      throws SQLException {
    List<AccountEvent.Debited> debits = new ArrayList<>();
    long last = after;
    try (PreparedStatement s = c.prepareStatement(CLAIM_DEBITS)) {
      s.setString(1, Account.persistenceId(accountId).id());
      s.setLong(2, after);
      s.setInt(3, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          last = rs.getLong(1);
          Object e = serialization.deserialize(rs.getBytes(4), rs.getInt(2), rs.getString(3)).get();
          if (e instanceof AccountEvent.Debited d) {
            debits.add(d);
          }
        }
      }
    }
    List<String> refundIds = new ArrayList<>();
    for (AccountEvent.Debited d : debits) {
      refundIds.add(PREFIX + RefundRules.refundIdOf(d.entry().transactionId()));
    }
    Map<String, RefundState> refunds = fold(c, refundIds);
    List<ClaimItem> items = new ArrayList<>();
    for (AccountEvent.Debited d : debits) {
      String refundId = RefundRules.refundIdOf(d.entry().transactionId());
      RefundState r = refunds.get(PREFIX + refundId);
      items.add(
          new ClaimItem(
              d.entry().transactionId(),
              ClaimDebit.leadOf(d.entry().metadata()),
              d.entry().amount(),
              d.entry().at(),
              r == null ? null : r.view(refundId)));
    }
    return new ClaimPage(List.copyOf(items), debits.size() == limit ? last : null);
  }

  private static List<String> ids(Connection c, String from) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(IDS)) {
      s.setString(1, from);
      s.setInt(2, IDS_PER_QUERY);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  private Map<String, RefundState> fold(Connection c, List<String> ids) throws SQLException {
    Map<String, RefundState> states = new HashMap<>();
    if (ids.isEmpty()) {
      return states;
    }
    try (PreparedStatement s = c.prepareStatement(EVENTS)) {
      java.sql.Array array = c.createArrayOf("text", ids.toArray());
      s.setArray(1, array);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          RefundEvent e =
              (RefundEvent)
                  serialization.deserialize(rs.getBytes(4), rs.getInt(2), rs.getString(3)).get();
          String pid = rs.getString(1);
          states.put(pid, states.getOrDefault(pid, RefundState.empty()).apply(e));
        }
      }
      array.free();
    }
    return states;
  }

  private static void add(
      List<RefundView> items, String persistenceId, RefundState state, RefundStatus status) {
    if (state != null && state.requested() && (status == null || state.status() == status)) {
      items.add(state.view(persistenceId.substring(PREFIX.length())));
    }
  }
}
