package io.leadcredits.baseline;

import io.leadcredits.Rejection;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.AccountView;
import io.leadcredits.account.Fingerprints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lock baseline's account operations, each inside the caller's transaction: lock the account
 * row with {@code SELECT … FOR UPDATE}, read what the decision needs, decide in Java, then write
 * the ledger rows and the new counters. A statement per step, as the design it stands for does.
 * Rejections write nothing; due expiries are recorded only together with an accepted change.
 */
final class LockedAccounts {

  /** The account row as locked: its counters move only through {@link #append}. */
  record Row(long balance, long reserved, long version) {}

  /** An open hold (its EXPIRE may be due). */
  record Hold(String holdId, long amount, Instant expiresAt) {
    boolean liveAt(Instant now) {
      return expiresAt.isAfter(now);
    }
  }

  private LockedAccounts() {}

  static AccountReply credit(
      Connection c, String account, String tx, long amount, Map<String, String> md, Instant now)
      throws SQLException {
    String fingerprint = Fingerprints.credit(amount, md);
    Row row = lock(c, account);
    if (row == null) {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO bl_accounts (account_id) VALUES (?) ON CONFLICT DO NOTHING")) {
        s.setString(1, account);
        s.executeUpdate();
      }
      row = lock(c, account);
    }
    AccountReply seen = replay(c, account, row, tx, fingerprint, now);
    if (seen != null) {
      return seen;
    }
    if (row.balance() > Long.MAX_VALUE - amount) {
      return rejected(Rejection.INVALID_REQUEST, "the balance would exceed the largest amount");
    }
    row = expireDue(c, account, row, openHolds(c, account), now);
    row = append(c, account, row, tx, "CREDIT", amount, amount, 0, now, md, fingerprint, null);
    return accepted(c, account, row, row.balance(), false, now);
  }

  static AccountReply debit(
      Connection c, String account, String tx, long amount, Map<String, String> md, Instant now)
      throws SQLException {
    String fingerprint = Fingerprints.debit(amount, md);
    Row row = lock(c, account);
    if (row == null) {
      return rejected(
          Rejection.INSUFFICIENT_CREDITS, "debit of " + amount + " exceeds available 0");
    }
    AccountReply seen = replay(c, account, row, tx, fingerprint, now);
    if (seen != null) {
      return seen;
    }
    List<Hold> holds = openHolds(c, account);
    long available = row.balance() - liveReserved(holds, now);
    if (amount > available) {
      return rejected(
          Rejection.INSUFFICIENT_CREDITS, "debit of " + amount + " exceeds available " + available);
    }
    row = expireDue(c, account, row, holds, now);
    row = append(c, account, row, tx, "DEBIT", amount, -amount, 0, now, md, fingerprint, null);
    return accepted(c, account, row, row.balance(), false, now);
  }

  static AccountReply reserve(
      Connection c,
      String account,
      String holdId,
      long amount,
      Instant expiresAt,
      Map<String, String> md,
      String fingerprint,
      int holdsMax,
      Instant now)
      throws SQLException {
    Row row = lock(c, account);
    if (row == null) {
      return rejected(
          Rejection.INSUFFICIENT_CREDITS, "reservation of " + amount + " exceeds available 0");
    }
    AccountReply seen = replay(c, account, row, holdId, fingerprint, now);
    if (seen != null) {
      return seen;
    }
    List<Hold> holds = openHolds(c, account);
    if (holds.stream().filter(h -> h.liveAt(now)).count() >= holdsMax) {
      return rejected(
          Rejection.TOO_MANY_HOLDS, "an account holds at most " + holdsMax + " reservations");
    }
    long available = row.balance() - liveReserved(holds, now);
    if (amount > available) {
      return rejected(
          Rejection.INSUFFICIENT_CREDITS,
          "reservation of " + amount + " exceeds available " + available);
    }
    row = expireDue(c, account, row, holds, now);
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO bl_holds (account_id, hold_id, amount, expires_at) VALUES (?, ?, ?, ?)")) {
      s.setString(1, account);
      s.setString(2, holdId);
      s.setLong(3, amount);
      s.setObject(4, Rows.timestamp(expiresAt));
      s.executeUpdate();
    }
    row =
        append(
            c, account, row, holdId, "RESERVE", amount, 0, amount, now, md, fingerprint, expiresAt);
    return accepted(c, account, row, row.balance(), false, now);
  }

  /** Capture ({@code captured}: the hold becomes a debit in this one step) or release. */
  static AccountReply endHold(
      Connection c, String account, String holdId, boolean captured, Instant now)
      throws SQLException {
    Row row = lock(c, account);
    HoldRow hold = row == null ? null : hold(c, account, holdId);
    if (hold == null) {
      return rejected(Rejection.NOT_FOUND, "no reservation " + holdId);
    }
    String end = captured ? "CAPTURED" : "RELEASED";
    List<Hold> holds = openHolds(c, account);
    if (hold.ended() == null && hold.expiresAt().isAfter(now)) {
      row = expireDue(c, account, row, holds, now);
      markEnded(c, account, holdId, end);
      long amount = hold.amount();
      row =
          append(
              c,
              account,
              row,
              holdId,
              captured ? "CAPTURE" : "RELEASE",
              amount,
              captured ? -amount : 0,
              -amount,
              now,
              Map.of(),
              null,
              null);
      return accepted(c, account, row, row.balance(), false, now);
    }
    String was = hold.ended() == null ? "EXPIRED" : hold.ended(); // due, not yet recorded
    if (!(was.equals(end) || (!captured && was.equals("EXPIRED")))) {
      return rejected(
          Rejection.HOLD_NOT_ACTIVE,
          "reservation " + holdId + " was already " + was.toLowerCase(java.util.Locale.ROOT));
    }
    // The same end again: a replay, unless expiries were due, which this request now records.
    Row after = expireDue(c, account, row, holds, now);
    return accepted(c, account, after, lastBalanceAfter(c, account, holdId), after == row, now);
  }

  /** The account as clients see it, or NOT_FOUND; no lock, no change. */
  static AccountReply read(Connection c, String account, Instant now) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT balance, reserved, version FROM bl_accounts WHERE account_id = ?")) {
      s.setString(1, account);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next() || rs.getLong("version") == 0) {
          return rejected(Rejection.NOT_FOUND, "no account " + account);
        }
        Row row = new Row(rs.getLong("balance"), rs.getLong("reserved"), rs.getLong("version"));
        return accepted(c, account, row, row.balance(), false, now);
      }
    }
  }

  // ---- statements ---------------------------------------------------------------------------

  private static Row lock(Connection c, String account) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT balance, reserved, version FROM bl_accounts WHERE account_id = ? FOR UPDATE")) {
      s.setString(1, account);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? new Row(rs.getLong("balance"), rs.getLong("reserved"), rs.getLong("version"))
            : null;
      }
    }
  }

  /** The first answer to a transaction id seen before, a conflict, or null when it is new. */
  private static AccountReply replay(
      Connection c, String account, Row row, String tx, String fingerprint, Instant now)
      throws SQLException {
    String seen;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT fingerprint FROM bl_ledger"
                + " WHERE account_id = ? AND transaction_id = ? AND opens")) {
      s.setString(1, account);
      s.setString(2, tx);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        seen = rs.getString(1);
      }
    }
    if (!fingerprint.equals(seen)) {
      return rejected(
          Rejection.IDEMPOTENCY_CONFLICT, "transaction " + tx + " was used with another request");
    }
    return accepted(c, account, row, lastBalanceAfter(c, account, tx), true, now);
  }

  private static long lastBalanceAfter(Connection c, String account, String tx)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT balance_after FROM bl_ledger WHERE account_id = ? AND transaction_id = ?"
                + " ORDER BY version DESC LIMIT 1")) {
      s.setString(1, account);
      s.setString(2, tx);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private record HoldRow(long amount, Instant expiresAt, String ended) {}

  private static HoldRow hold(Connection c, String account, String holdId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT amount, expires_at, ended FROM bl_holds WHERE account_id = ? AND hold_id = ?")) {
      s.setString(1, account);
      s.setString(2, holdId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? new HoldRow(
                rs.getLong("amount"), Rows.instant(rs, "expires_at"), rs.getString("ended"))
            : null;
      }
    }
  }

  /** Open holds, earliest expiry first: the order expiries are recorded in. */
  private static List<Hold> openHolds(Connection c, String account) throws SQLException {
    List<Hold> holds = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT hold_id, amount, expires_at FROM bl_holds"
                + " WHERE account_id = ? AND ended IS NULL ORDER BY expires_at, hold_id")) {
      s.setString(1, account);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          holds.add(
              new Hold(
                  rs.getString("hold_id"), rs.getLong("amount"), Rows.instant(rs, "expires_at")));
        }
      }
    }
    return holds;
  }

  private static long liveReserved(List<Hold> holds, Instant now) {
    return holds.stream().filter(h -> h.liveAt(now)).mapToLong(Hold::amount).sum();
  }

  /** Records the EXPIRE of every due hold; returns the same row when none was due. */
  private static Row expireDue(Connection c, String account, Row row, List<Hold> holds, Instant now)
      throws SQLException {
    Row r = row;
    for (Hold h : holds) {
      if (!h.liveAt(now)) {
        markEnded(c, account, h.holdId(), "EXPIRED");
        r =
            append(
                c,
                account,
                r,
                h.holdId(),
                "EXPIRE",
                h.amount(),
                0,
                -h.amount(),
                h.expiresAt(),
                Map.of(),
                null,
                null);
      }
    }
    return r;
  }

  private static void markEnded(Connection c, String account, String holdId, String end)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE bl_holds SET ended = ? WHERE account_id = ? AND hold_id = ?")) {
      s.setString(1, end);
      s.setString(2, account);
      s.setString(3, holdId);
      s.executeUpdate();
    }
  }

  /** One ledger row and the account's counters moved with it. */
  private static Row append(
      Connection c,
      String account,
      Row before,
      String tx,
      String type,
      long amount,
      long balanceDelta,
      long reservedDelta,
      Instant at,
      Map<String, String> metadata,
      String fingerprint,
      Instant holdExpiresAt)
      throws SQLException {
    Row after =
        new Row(
            before.balance() + balanceDelta,
            before.reserved() + reservedDelta,
            before.version() + 1);
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO bl_ledger (account_id, version, transaction_id, type, amount,"
                + " balance_before, balance_after, reserved_before, reserved_after, at, metadata,"
                + " fingerprint, hold_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)")) {
      s.setString(1, account);
      s.setLong(2, after.version());
      s.setString(3, tx);
      s.setString(4, type);
      s.setLong(5, amount);
      s.setLong(6, before.balance());
      s.setLong(7, after.balance());
      s.setLong(8, before.reserved());
      s.setLong(9, after.reserved());
      s.setObject(10, Rows.timestamp(at));
      s.setString(11, Rows.json(metadata));
      s.setString(12, fingerprint);
      s.setObject(13, Rows.timestamp(holdExpiresAt));
      s.executeUpdate();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE bl_accounts SET balance = ?, reserved = ?, version = ? WHERE account_id = ?")) {
      s.setLong(1, after.balance());
      s.setLong(2, after.reserved());
      s.setLong(3, after.version());
      s.setString(4, account);
      s.executeUpdate();
    }
    return after;
  }

  private static AccountReply accepted(
      Connection c, String account, Row row, long balanceAfter, boolean replayed, Instant now)
      throws SQLException {
    List<AccountView.HoldView> live = new ArrayList<>();
    for (Hold h : openHolds(c, account)) {
      if (h.liveAt(now)) {
        live.add(new AccountView.HoldView(h.holdId(), h.amount(), h.expiresAt()));
      }
    }
    long reserved = live.stream().mapToLong(AccountView.HoldView::amount).sum();
    AccountView view =
        new AccountView(
            account, row.balance(), reserved, row.balance() - reserved, live, row.version());
    return new AccountReply.Accepted(view, balanceAfter, replayed);
  }

  private static AccountReply rejected(Rejection reason, String detail) {
    return new AccountReply.Rejected(reason, detail);
  }
}
