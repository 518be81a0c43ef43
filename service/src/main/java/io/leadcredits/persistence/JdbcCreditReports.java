package io.leadcredits.persistence;

import io.leadcredits.account.Grant;
import io.leadcredits.feed.EventTypes;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedEvent;
import io.leadcredits.feed.FeedPage;
import io.leadcredits.feed.JdbcSinkOffsets;
import io.leadcredits.report.CreditReport;
import io.leadcredits.report.CreditReportStore;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The liability report's tables ({@code V13__credit_report.sql}): a page of the feed's account
 * events written into them with the projection's cursor in one transaction ({@link #apply}), and
 * the report read from them ({@link #read}). A page costs a handful of statements whatever its
 * size: every grant it names is looked up in one query, and its grants, changes and movements are
 * each written by one statement over arrays.
 */
public final class JdbcCreditReports implements CreditReportStore {
  /** The projection's name in {@code event_sink_offsets}, its lock and its metrics' label. */
  public static final String SINK = "credit-report";

  private static final String CURSOR_FOR_UPDATE =
      "SELECT cursor FROM event_sink_offsets WHERE sink = ? FOR UPDATE";

  private static final String NEWEST_GRANTS =
      "SELECT DISTINCT ON (g.account_id, g.grant_id) g.account_id, g.grant_id, g.grant_seq"
          + " FROM credit_report_grants g"
          + " JOIN unnest(?::text[], ?::text[]) AS k(account_id, grant_id)"
          + " ON g.account_id = k.account_id AND g.grant_id = k.grant_id"
          + " ORDER BY g.account_id, g.grant_id, g.grant_seq DESC";

  private static final String INSERT_GRANTS =
      "INSERT INTO credit_report_grants (account_id, grant_seq, grant_id, category, granted,"
          + " outstanding, expires_at, price_minor, currency, created_at)"
          + " SELECT a, s, i, c, 0, 0, e, p, cu, t FROM unnest(?::text[], ?::bigint[], ?::text[],"
          + " ?::text[], ?::timestamptz[], ?::bigint[], ?::text[], ?::timestamptz[])"
          + " AS n(a, s, i, c, e, p, cu, t)";

  private static final String CHANGE_GRANTS =
      "UPDATE credit_report_grants g SET granted = g.granted + d.dg,"
          + " outstanding = g.outstanding + d.dout"
          + " FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[]) AS d(a, s, dg, dout)"
          + " WHERE g.account_id = d.a AND g.grant_seq = d.s";

  private static final String INSERT_MOVEMENTS =
      "INSERT INTO credit_report_movements (account_id, seq, grant_seq, kind, amount, at)"
          + " SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[],"
          + " ?::timestamptz[])";

  private static final String SAVE_POSITION =
      "INSERT INTO credit_report_position (id, last_event_at, last_event_id, events_applied)"
          + " VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET last_event_at ="
          + " EXCLUDED.last_event_at, last_event_id = EXCLUDED.last_event_id,"
          + " events_applied = credit_report_position.events_applied + EXCLUDED.events_applied";

  /**
   * Each grant with credits owed at the time asked: what it owes now less what happened to it after
   * that time (a grant made later nets to zero). The live grants come through the partial index;
   * the ended ones only when something happened to them after that time.
   */
  private static final String OUTSTANDING =
      "WITH later AS ("
          + " SELECT account_id, grant_seq,"
          + " SUM(CASE WHEN kind = 'granted' THEN amount ELSE -amount END) AS net"
          + " FROM credit_report_movements WHERE at > ? GROUP BY account_id, grant_seq),"
          + " owed AS ("
          + " SELECT g.category, g.currency, g.price_minor, g.granted, g.expires_at,"
          + " g.outstanding - COALESCE(l.net, 0) AS owed"
          + " FROM credit_report_grants g LEFT JOIN later l USING (account_id, grant_seq)"
          + " WHERE g.outstanding > 0"
          + " UNION ALL"
          + " SELECT g.category, g.currency, g.price_minor, g.granted, g.expires_at,"
          + " g.outstanding - l.net"
          + " FROM later l JOIN credit_report_grants g USING (account_id, grant_seq)"
          + " WHERE g.outstanding = 0)"
          + " SELECT category, currency, SUM(owed),"
          // Half up to the minor unit, in integers: floor((2·price·owed + granted) / (2·granted)).
          + " SUM(div(2 * price_minor::numeric * owed + granted, 2 * granted)),"
          + " COALESCE(SUM(owed) FILTER (WHERE expires_at > ? AND expires_at <= ?), 0)"
          + " FROM owed WHERE owed > 0 GROUP BY category, currency ORDER BY category, currency";

  private static final String ENDED =
      "SELECT m.kind, g.category, SUM(m.amount) FROM credit_report_movements m"
          + " JOIN credit_report_grants g USING (account_id, grant_seq)"
          + " WHERE m.kind IN ('expired', 'voided') AND m.at >= ? AND m.at < ?"
          + " GROUP BY m.kind, g.category";

  private static final String POSITION =
      "SELECT p.last_event_at, p.last_event_id, p.events_applied, o.cursor"
          + " FROM (SELECT 1) AS one"
          + " LEFT JOIN credit_report_position p ON p.id = 1"
          + " LEFT JOIN event_sink_offsets o ON o.sink = ?";

  private final DataSource dataSource;

  public JdbcCreditReports(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  // ---- writing ----------------------------------------------------------------------------------

  /**
   * Writes {@code page}, read from {@code from}, with the cursor after it, in {@code c}'s
   * transaction. False when the stored cursor is no longer {@code from} (another run of the
   * projection wrote it): nothing is written and the caller reads on from the stored cursor.
   */
  public static boolean apply(Connection c, FeedCursor from, FeedPage page) throws SQLException {
    FeedCursor stored;
    try (PreparedStatement s = c.prepareStatement(CURSOR_FOR_UPDATE)) {
      s.setString(1, SINK);
      try (ResultSet rs = s.executeQuery()) {
        stored = rs.next() ? FeedCursor.decode(rs.getString(1)).orElse(null) : FeedCursor.START;
      }
    }
    if (!from.equals(stored)) {
      return false;
    }
    if (!page.items().isEmpty()) {
      Changes changes = new Changes();
      changes.newest.putAll(newestGrants(c, named(page.items())));
      FeedEvent last = null;
      for (FeedEvent e : page.items()) {
        changes.apply(e);
        last = e;
      }
      changes.write(c);
      try (PreparedStatement s = c.prepareStatement(SAVE_POSITION)) {
        s.setObject(1, utc(last.timestamp()));
        s.setString(2, last.id());
        s.setLong(3, page.items().size());
        s.executeUpdate();
      }
    }
    if (!page.next().equals(from)) {
      JdbcSinkOffsets.save(c, SINK, page.next());
    }
    return true;
  }

  /** A grant as events name it: its account and id. */
  private record GrantName(String accountId, String grantId) {}

  /** A grant as the tables key it: its account and the version of the top-up that made it. */
  private record GrantKey(String accountId, long grantSeq) {}

  /** What a page changes, folded in order, then written in a few statements. */
  private static final class Changes {
    final Map<GrantName, Long> newest = new HashMap<>();
    final List<Object[]> newGrants = new ArrayList<>();
    final Map<GrantKey, long[]> deltas = new LinkedHashMap<>(); // {granted, outstanding}
    final Map<List<Object>, Object[]> movements = new LinkedHashMap<>();

    void apply(FeedEvent e) {
      Map<String, Object> d = e.data();
      String account = (String) d.get("accountId");
      long amount = number(d.get("amount"));
      switch (e.type()) {
        case EventTypes.CREDITED:
          credited(e, account, amount);
          break;
        case EventTypes.DEBITED:
        case EventTypes.CAPTURED:
          for (Map.Entry<String, Long> taken : taken(d, amount).entrySet()) {
            move(e, account, taken.getKey(), "spent", taken.getValue());
          }
          break;
        case EventTypes.GRANT_EXPIRED:
          move(e, account, (String) d.get("grantId"), "expired", amount);
          break;
        case EventTypes.GRANT_VOIDED:
          move(e, account, (String) d.get("grantId"), "voided", amount);
          break;
        default:
          break; // holds earmark and give back: the credits stay owed until captured
      }
    }

    /** A top-up makes a grant of its own; one stored before grants adds to the legacy grant. */
    private void credited(FeedEvent e, String account, long amount) {
      Map<String, Object> d = e.data();
      String grantId = (String) d.get("grantId");
      GrantName name = new GrantName(account, grantId == null ? Grant.LEGACY_ID : grantId);
      if (grantId != null || !newest.containsKey(name)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> price = (Map<String, Object>) d.get("price");
        Instant expiresAt = (Instant) d.get("expiresAt");
        newGrants.add(
            new Object[] {
              account,
              e.sequenceNr(),
              name.grantId(),
              grantId == null ? "paid" : (String) d.get("category"),
              expiresAt == null ? null : expiresAt.toString(),
              price == null ? null : number(price.get("amountMinor")),
              price == null ? null : (String) price.get("currency"),
              e.timestamp().toString()
            });
        newest.put(name, e.sequenceNr());
      }
      change(e, account, name, "granted", amount);
    }

    private void move(FeedEvent e, String account, String grantId, String kind, long amount) {
      change(e, account, new GrantName(account, grantId), kind, amount);
    }

    private void change(FeedEvent e, String account, GrantName name, String kind, long amount) {
      if (amount == 0) {
        return;
      }
      Long grantSeq = newest.get(name);
      if (grantSeq == null) {
        throw new IllegalStateException(
            "the event " + e.id() + " names grant " + name + ", which no top-up made");
      }
      boolean granted = kind.equals("granted");
      long[] delta = deltas.computeIfAbsent(new GrantKey(account, grantSeq), k -> new long[2]);
      delta[0] = Math.addExact(delta[0], granted ? amount : 0);
      delta[1] = granted ? Math.addExact(delta[1], amount) : Math.subtractExact(delta[1], amount);
      Object[] row =
          movements.computeIfAbsent(
              List.of(account, e.sequenceNr(), grantSeq),
              k -> new Object[] {account, e.sequenceNr(), grantSeq, kind, 0L, e.timestamp()});
      row[4] = Math.addExact((Long) row[4], amount);
    }

    void write(Connection c) throws SQLException {
      if (!newGrants.isEmpty()) {
        try (PreparedStatement s = c.prepareStatement(INSERT_GRANTS)) {
          String[] types = {"text", "bigint", "text", "text", "text", "bigint", "text", "text"};
          for (int col = 0; col < types.length; col++) {
            s.setArray(col + 1, column(c, types[col], newGrants, col));
          }
          s.executeUpdate();
        }
      }
      List<Object[]> rows = new ArrayList<>(deltas.size());
      for (Map.Entry<GrantKey, long[]> d : deltas.entrySet()) {
        rows.add(
            new Object[] {
              d.getKey().accountId(), d.getKey().grantSeq(), d.getValue()[0], d.getValue()[1]
            });
      }
      if (!rows.isEmpty()) {
        try (PreparedStatement s = c.prepareStatement(CHANGE_GRANTS)) {
          String[] types = {"text", "bigint", "bigint", "bigint"};
          for (int col = 0; col < types.length; col++) {
            s.setArray(col + 1, column(c, types[col], rows, col));
          }
          int changed = s.executeUpdate();
          if (changed != rows.size()) {
            throw new IllegalStateException(
                "changed " + changed + " of the " + rows.size() + " grants a page names");
          }
        }
      }
      List<Object[]> moved = new ArrayList<>(movements.size());
      for (Object[] m : movements.values()) {
        moved.add(new Object[] {m[0], m[1], m[2], m[3], m[4], m[5].toString()});
      }
      if (!moved.isEmpty()) {
        try (PreparedStatement s = c.prepareStatement(INSERT_MOVEMENTS)) {
          String[] types = {"text", "bigint", "bigint", "text", "bigint", "text"};
          for (int col = 0; col < types.length; col++) {
            s.setArray(col + 1, column(c, types[col], moved, col));
          }
          s.executeUpdate();
        }
      }
    }
  }

  /** The grants a page's events name that a top-up of the same page does not make first. */
  private static List<GrantName> named(List<FeedEvent> events) {
    List<GrantName> names = new ArrayList<>();
    for (FeedEvent e : events) {
      Map<String, Object> d = e.data();
      String account = (String) d.get("accountId");
      if (e.type().equals(EventTypes.CREDITED)) {
        if (d.get("grantId") == null) {
          names.add(new GrantName(account, Grant.LEGACY_ID));
        }
      } else if (e.type().equals(EventTypes.DEBITED) || e.type().equals(EventTypes.CAPTURED)) {
        for (String grantId : taken(d, number(d.get("amount"))).keySet()) {
          names.add(new GrantName(account, grantId));
        }
      } else if (d.get("grantId") instanceof String grantId) {
        names.add(new GrantName(account, grantId));
      }
    }
    return names;
  }

  /** The newest grant of each name, from what earlier pages wrote. */
  private static Map<GrantName, Long> newestGrants(Connection c, List<GrantName> names)
      throws SQLException {
    Map<GrantName, Long> newest = new HashMap<>();
    if (names.isEmpty()) {
      return newest;
    }
    List<Object[]> rows = new ArrayList<>(names.size());
    for (GrantName n : names) {
      rows.add(new Object[] {n.accountId(), n.grantId()});
    }
    try (PreparedStatement s = c.prepareStatement(NEWEST_GRANTS)) {
      s.setArray(1, column(c, "text", rows, 0));
      s.setArray(2, column(c, "text", rows, 1));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          newest.put(new GrantName(rs.getString(1), rs.getString(2)), rs.getLong(3));
        }
      }
    }
    return newest;
  }

  /**
   * What a debit or capture took from each grant, as it names them; one stored before grants names
   * none and took from the legacy grant, the only one there was then.
   */
  private static Map<String, Long> taken(Map<String, Object> data, long amount) {
    Map<String, Long> taken = new TreeMap<>();
    Object grants = data.get("grants");
    if (!(grants instanceof List<?> list)) {
      taken.put(Grant.LEGACY_ID, amount);
      return taken;
    }
    for (Object item : list) {
      Map<?, ?> g = (Map<?, ?>) item;
      taken.merge((String) g.get("grantId"), number(g.get("amount")), Math::addExact);
    }
    return taken;
  }

  private static long number(Object value) {
    return ((Number) value).longValue();
  }

  private static Array column(Connection c, String type, List<Object[]> rows, int col)
      throws SQLException {
    Object[] values = new Object[rows.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = rows.get(i)[col];
    }
    return c.createArrayOf(type.equals("bigint") ? "int8" : type, values);
  }

  // ---- reading ----------------------------------------------------------------------------------

  @Override
  public CreditReport read(CreditReport.Query q) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try {
        CreditReport report = read(c, q);
        c.commit();
        return report;
      } finally {
        c.rollback();
        c.setReadOnly(false);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        c.setAutoCommit(true);
      }
    }
  }

  private static CreditReport read(Connection c, CreditReport.Query q) throws SQLException {
    Instant until = q.at().plus(CreditReport.EXPIRING_WITHIN);
    long[] outstanding = new long[2];
    long[] expiring = new long[2];
    long withoutPrice = 0;
    List<CreditReport.PaidValue> values = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(OUTSTANDING)) {
      s.setObject(1, utc(q.at()));
      s.setObject(2, utc(q.at()));
      s.setObject(3, utc(until));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          int category = index(rs.getString(1));
          String currency = rs.getString(2);
          long owed = exact(rs.getBigDecimal(3));
          outstanding[category] = Math.addExact(outstanding[category], owed);
          expiring[category] = Math.addExact(expiring[category], exact(rs.getBigDecimal(5)));
          if (category == 0 && currency == null) {
            withoutPrice = Math.addExact(withoutPrice, owed);
          } else if (currency != null) {
            values.add(new CreditReport.PaidValue(currency, owed, exact(rs.getBigDecimal(4))));
          }
        }
      }
    }
    long[][] ended = new long[2][2]; // [expired, voided][paid, promotional]
    try (PreparedStatement s = c.prepareStatement(ENDED)) {
      s.setObject(1, utc(q.from()));
      s.setObject(2, utc(q.to()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          int kind = rs.getString(1).equals("expired") ? 0 : 1;
          ended[kind][index(rs.getString(2))] = exact(rs.getBigDecimal(3));
        }
      }
    }
    return new CreditReport(
        q.at(),
        position(c).orElseThrow(),
        new CreditReport.ByCategory(outstanding[0], outstanding[1]),
        values,
        withoutPrice,
        q.from(),
        q.to(),
        new CreditReport.ByCategory(ended[0][0], ended[0][1]),
        new CreditReport.ByCategory(ended[1][0], ended[1][1]),
        until,
        new CreditReport.ByCategory(expiring[0], expiring[1]));
  }

  private static Optional<CreditReport.AsOf> position(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(POSITION)) {
      s.setString(1, SINK);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        Timestamp last = rs.getTimestamp(1);
        return Optional.of(
            new CreditReport.AsOf(
                last == null ? null : last.toInstant(),
                rs.getString(2),
                rs.getString(4),
                rs.getLong(3),
                false));
      }
    }
  }

  private static java.time.OffsetDateTime utc(Instant at) {
    return java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC);
  }

  private static int index(String category) {
    return category.equals("paid") ? 0 : 1;
  }

  private static long exact(BigDecimal value) {
    return value == null ? 0 : value.longValueExact();
  }
}
