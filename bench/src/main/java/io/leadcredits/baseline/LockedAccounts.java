package io.leadcredits.baseline;

import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.account.AccountEvent.Reserved;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.AccountRules;
import io.leadcredits.account.AccountState;
import io.leadcredits.account.AccountState.HoldEnd;
import io.leadcredits.account.AccountState.TxRecord;
import io.leadcredits.account.AccountView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lock baseline's account operations, each inside the caller's transaction: lock the account
 * row with {@code SELECT … FOR UPDATE}, load what {@link AccountRules} needs to decide (the open
 * holds and everything stored of the command's transaction id), let the rulebook decide, and write
 * its events as rows: a ledger row each, the holds they open or end, then the account's counters.
 * The rules are the actor's; only the storage is this design's. Rejections write nothing; due
 * expiries are recorded with an accepted change, as the rulebook's events say.
 */
final class LockedAccounts {

  /** What the rulebook decides for one command, given the account and what it remembers of it. */
  @FunctionalInterface
  interface Rule {
    AccountRules.Decision decide(AccountState state, Optional<TxRecord> remembered);
  }

  /**
   * Locks the row and, in the same round trip, asks whether the command's transaction id was seen
   * and how far the ledger this statement sees goes. The two sub-selects read the statement's
   * snapshot, taken before any wait for the lock: when the ledger they saw ends at the locked row's
   * version, nothing committed in between and their answer is the holder's last; otherwise {@link
   * #FACTS} asks again after the lock.
   */
  private static final String LOCK =
      "SELECT a.balance, a.reserved, a.version,"
          + " (SELECT max(version) FROM bl_ledger WHERE account_id = a.account_id) AS seen_version,"
          + " EXISTS (SELECT 1 FROM bl_ledger WHERE account_id = a.account_id"
          + " AND transaction_id = ?) AS seen"
          + " FROM bl_accounts a WHERE a.account_id = ? FOR UPDATE";

  /**
   * Every row of the command's transaction id and the opening row of each open hold, in one round
   * trip, in journal order; UNION, not UNION ALL, since the command may name an open hold.
   */
  private static final String FACTS =
      "SELECT version, "
          + LedgerReader.columns("")
          + " FROM bl_ledger WHERE account_id = ? AND transaction_id = ?"
          + " UNION SELECT l.version, "
          + LedgerReader.columns("l.")
          + " FROM bl_holds h JOIN bl_ledger l ON l.account_id = h.account_id"
          + " AND l.transaction_id = h.hold_id AND l.opens"
          + " WHERE h.account_id = ? AND h.ended IS NULL ORDER BY version";

  /** The account and its open holds in one statement, so in one snapshot, without a lock. */
  private static final String READ =
      "SELECT a.balance AS account_balance, a.reserved AS account_reserved,"
          + " a.version AS account_version, "
          + LedgerReader.columns("l.")
          + " FROM bl_accounts a LEFT JOIN bl_holds h"
          + " ON h.account_id = a.account_id AND h.ended IS NULL"
          + " LEFT JOIN bl_ledger l ON l.account_id = h.account_id"
          + " AND l.transaction_id = h.hold_id AND l.opens WHERE a.account_id = ?";

  private static final String INSERT_LEDGER =
      "INSERT INTO bl_ledger (account_id, version, transaction_id, type, amount, balance_before,"
          + " balance_after, reserved_before, reserved_after, at, metadata, fingerprint,"
          + " hold_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)";

  private LockedAccounts() {}

  /**
   * Locks the account and decides {@code rule} on it; {@code createsAccount} makes the account's
   * row first when it has none (a credit), so that there is a row to lock. Without a row the
   * account is the empty one, which the rulebook accepts nothing but a credit from.
   */
  static AccountReply change(
      Connection c,
      String account,
      String transactionId,
      boolean createsAccount,
      Instant now,
      Rule rule)
      throws SQLException {
    AccountState state = lock(c, account, transactionId);
    if (state == null && createsAccount) {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO bl_accounts (account_id) VALUES (?) ON CONFLICT DO NOTHING")) {
        s.setString(1, account);
        s.executeUpdate();
      }
      state = lock(c, account, transactionId);
    }
    boolean stored = state != null;
    AccountState before = stored ? state : AccountState.empty();
    AccountRules.Decision decision = rule.decide(before, before.transaction(transactionId));
    if (decision instanceof AccountRules.Reject r) {
      return new AccountReply.Rejected(r.reason(), r.detail());
    }
    AccountRules.Accept accepted = (AccountRules.Accept) decision;
    if (!stored && !accepted.events().isEmpty()) {
      throw new IllegalStateException("a change accepted for account " + account + " has no row");
    }
    AccountState after = write(c, account, before, accepted.events());
    return new AccountReply.Accepted(
        withoutGrants(after.view(account, now)), accepted.balanceAfter(), accepted.replayed());
  }

  /** The baselines keep no grants: their views show none, as the sql baseline's do. */
  static AccountView withoutGrants(AccountView v) {
    return new AccountView(
        v.accountId(), v.balance(), v.reserved(), v.available(), v.holds(), v.version());
  }

  /** The account as clients see it, or NOT_FOUND: one statement, no lock, no change. */
  static AccountReply read(Connection c, String account, Instant now) throws SQLException {
    AccountState state = AccountState.empty();
    try (PreparedStatement s = c.prepareStatement(READ)) {
      s.setString(1, account);
      try (ResultSet rs = s.executeQuery()) {
        List<AccountEvent> holds = new ArrayList<>();
        long balance = 0;
        long reserved = 0;
        long version = 0;
        while (rs.next()) {
          balance = rs.getLong("account_balance");
          reserved = rs.getLong("account_reserved");
          version = rs.getLong("account_version");
          if (rs.getString("transaction_id") != null) {
            holds.add(LedgerReader.event(rs));
          }
        }
        if (version > 0) {
          state = AccountState.of(balance, reserved, version, holds);
        }
      }
    }
    AccountRules.Decision decision = AccountRules.get(state, account);
    if (decision instanceof AccountRules.Reject r) {
      return new AccountReply.Rejected(r.reason(), r.detail());
    }
    return new AccountReply.Accepted(
        withoutGrants(state.view(account, now)), state.balance(), false);
  }

  // ---- statements ---------------------------------------------------------------------------

  /**
   * Locks the account's row and loads the account as the rulebook needs it, or null when it has no
   * row. The facts (every row of the transaction id, the open holds) are read by a statement of
   * their own after the lock, so that its snapshot sees everything the lock's previous holder
   * committed, unless the lock's own statement proved there are none: an account without open holds
   * (reserved 0) whose ledger, as the lock's statement saw it, was already the holder's last and
   * had no row of this transaction id. Then the second round trip would return nothing.
   */
  private static AccountState lock(Connection c, String account, String transactionId)
      throws SQLException {
    long balance;
    long reserved;
    long version;
    boolean current;
    try (PreparedStatement s = c.prepareStatement(LOCK)) {
      s.setString(1, transactionId);
      s.setString(2, account);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        balance = rs.getLong("balance");
        reserved = rs.getLong("reserved");
        version = rs.getLong("version");
        boolean seen = rs.getBoolean("seen");
        current = rs.getLong("seen_version") == version; // max of no rows is NULL: 0, version 0
        if (current && !seen && reserved == 0) {
          return AccountState.of(balance, reserved, version, List.of());
        }
      }
    }
    List<AccountEvent> events = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(FACTS)) {
      s.setString(1, account);
      s.setString(2, transactionId);
      s.setString(3, account);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          events.add(LedgerReader.event(rs));
        }
      }
    }
    return AccountState.of(balance, reserved, version, events);
  }

  /**
   * The events as rows, in a round trip per kind of statement: the ledger rows, the holds opened,
   * the holds ended, then the account's counters as the last event left them.
   */
  private static AccountState write(
      Connection c, String account, AccountState before, List<AccountEvent> events)
      throws SQLException {
    if (events.isEmpty()) {
      return before;
    }
    AccountState state = before;
    try (PreparedStatement ledger = c.prepareStatement(INSERT_LEDGER);
        PreparedStatement opened =
            c.prepareStatement(
                "INSERT INTO bl_holds (account_id, hold_id, amount, expires_at)"
                    + " VALUES (?, ?, ?, ?)");
        PreparedStatement ended =
            c.prepareStatement(
                "UPDATE bl_holds SET ended = ? WHERE account_id = ? AND hold_id = ?")) {
      int opens = 0;
      int ends = 0;
      for (AccountEvent event : events) {
        state = state.apply(event);
        addLedgerRow(ledger, account, state.version(), event);
        Entry e = event.entry();
        if (event instanceof Reserved r) {
          opened.setString(1, account);
          opened.setString(2, e.transactionId());
          opened.setLong(3, e.amount());
          opened.setObject(4, Rows.timestamp(r.expiresAt()));
          opened.addBatch();
          opens++;
        } else if (HoldEnd.of(event).isPresent()) {
          ended.setString(1, HoldEnd.of(event).get().name()); // as bl_holds.ended names it
          ended.setString(2, account);
          ended.setString(3, e.transactionId());
          ended.addBatch();
          ends++;
        }
      }
      if (opens > 0) {
        opened.executeBatch();
      }
      if (ends > 0) {
        ended.executeBatch();
      }
      ledger.executeBatch();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE bl_accounts SET balance = ?, reserved = ?, version = ? WHERE account_id = ?")) {
      s.setLong(1, state.balance());
      s.setLong(2, state.reserved());
      s.setLong(3, state.version());
      s.setString(4, account);
      s.executeUpdate();
    }
    return state;
  }

  private static void addLedgerRow(
      PreparedStatement s, String account, long version, AccountEvent event) throws SQLException {
    Entry e = event.entry();
    s.setString(1, account);
    s.setLong(2, version);
    s.setString(3, e.transactionId());
    s.setString(4, event.type().name());
    s.setLong(5, e.amount());
    s.setLong(6, e.balanceBefore());
    s.setLong(7, e.balanceAfter());
    s.setLong(8, e.reservedBefore());
    s.setLong(9, e.reservedAfter());
    s.setObject(10, Rows.timestamp(e.at()));
    s.setString(11, Rows.json(e.metadata()));
    s.setString(12, fingerprintOf(event));
    s.setObject(13, Rows.timestamp(event instanceof Reserved r ? r.expiresAt() : null));
    s.addBatch();
  }

  /** The fingerprint of an event that opens a transaction; null for a hold's end. */
  private static String fingerprintOf(AccountEvent event) {
    if (event instanceof AccountEvent.Credited c) {
      return c.fingerprint();
    }
    if (event instanceof AccountEvent.Debited d) {
      return d.fingerprint();
    }
    return event instanceof Reserved r ? r.fingerprint() : null;
  }
}
