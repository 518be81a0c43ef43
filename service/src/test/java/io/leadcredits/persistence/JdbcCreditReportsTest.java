package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcredits.feed.EventTypes;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedEvent;
import io.leadcredits.feed.FeedPage;
import io.leadcredits.feed.JdbcSinkOffsets;
import io.leadcredits.report.CreditReport;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's tables on the real PostgreSQL: a page is written once with its cursor (a second
 * writer from the same cursor writes nothing), a page that cannot be applied leaves neither rows
 * nor cursor, events from before grants count on the legacy grant, and a grant id used again after
 * its grant ended is a grant of its own.
 */
class JdbcCreditReportsTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir Path dataDir;
  private Database db;
  private JdbcCreditReports store;

  @BeforeEach
  void start() {
    db = Database.start(TestDatabases.embeddedIn(dataDir));
    store = new JdbcCreditReports(db.dataSource());
  }

  @AfterEach
  void stop() {
    db.close();
  }

  @Test
  void aPageIsWrittenOnceWithItsCursor() throws Exception {
    FeedCursor next = new FeedCursor(5, 3, Integer.MAX_VALUE);
    FeedPage page =
        new FeedPage(
            List.of(
                credited("ann", 1, "pack", "paid", 100, price(1000, "AUD"), null),
                debited("ann", 2, 30, Map.of("pack", 30L))),
            next);
    assertThat(apply(FeedCursor.START, page)).isTrue();
    // Another run that read the same page from the same cursor: nothing written.
    assertThat(apply(FeedCursor.START, page)).isFalse();
    CreditReport r = report(T0.plusSeconds(60));
    assertThat(r.outstanding()).isEqualTo(new CreditReport.ByCategory(70, 0));
    assertThat(r.paidValue()).containsExactly(new CreditReport.PaidValue("AUD", 70, 700));
    assertThat(r.asOf().eventsApplied()).isEqualTo(2);
    assertThat(r.asOf().cursor()).isEqualTo(next.encode());
    assertThat(new JdbcSinkOffsets(db.dataSource()).load(JdbcCreditReports.SINK)).isEqualTo(next);
  }

  @Test
  void aPageThatCannotBeAppliedLeavesNeitherRowsNorCursor() throws Exception {
    FeedPage bad =
        new FeedPage(
            List.of(
                credited("bob", 1, "pack", "paid", 10, null, null),
                debited("bob", 2, 5, Map.of("nobody-made-this", 5L))),
            new FeedCursor(9, 9, 0));
    assertThatThrownBy(() -> apply(FeedCursor.START, bad))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nobody-made-this");
    CreditReport r = report(T0.plusSeconds(60));
    assertThat(r.outstanding()).isEqualTo(new CreditReport.ByCategory(0, 0));
    assertThat(r.asOf().cursor()).isNull();
    assertThat(r.asOf().eventsApplied()).isZero();
  }

  @Test
  void eventsFromBeforeGrantsCountOnTheLegacyGrantAndAReusedIdIsANewGrant() throws Exception {
    FeedPage first =
        new FeedPage(
            List.of(
                credited("cat", 1, null, null, 50, null, null), // stored before grants
                credited("cat", 2, null, null, 20, null, null),
                debited("cat", 3, 60, null), // names no grant: the legacy one
                credited("cat", 4, "promo", "promotional", 10, null, T0.plus(Duration.ofDays(3))),
                debited("cat", 5, 10, Map.of("promo", 10L))),
            new FeedCursor(1, 5, Integer.MAX_VALUE));
    assertThat(apply(FeedCursor.START, first)).isTrue();
    // "promo" ended (spent); the id comes back on a new grant, which a later page expires.
    FeedPage second =
        new FeedPage(
            List.of(
                credited("cat", 6, "promo", "promotional", 4, null, T0.plusSeconds(100)),
                expired("cat", 7, "promo", 4, T0.plusSeconds(100))),
            new FeedCursor(2, 1, Integer.MAX_VALUE));
    assertThat(apply(new FeedCursor(1, 5, Integer.MAX_VALUE), second)).isTrue();
    CreditReport now = report(T0.plusSeconds(200));
    assertThat(now.outstanding()).isEqualTo(new CreditReport.ByCategory(10, 0));
    assertThat(now.paidCreditsWithoutPrice()).isEqualTo(10);
    assertThat(now.expired()).isEqualTo(new CreditReport.ByCategory(0, 4));
    // Before the expiry the new "promo" was owed, and within 30 days of expiring.
    CreditReport before = report(T0.plusSeconds(99));
    assertThat(before.outstanding()).isEqualTo(new CreditReport.ByCategory(10, 4));
    assertThat(before.expiring()).isEqualTo(new CreditReport.ByCategory(0, 4));
  }

  private boolean apply(FeedCursor from, FeedPage page) throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        boolean applied = JdbcCreditReports.apply(c, from, page);
        c.commit();
        return applied;
      } catch (Exception e) {
        c.rollback();
        throw e;
      }
    }
  }

  private CreditReport report(Instant at) throws Exception {
    return store.read(new CreditReport.Query(at, at.minus(Duration.ofDays(30)), at));
  }

  private static Map<String, Object> price(long amountMinor, String currency) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("amountMinor", amountMinor);
    p.put("currency", currency);
    return p;
  }

  private static FeedEvent credited(
      String account,
      long seq,
      String grantId,
      String category,
      long amount,
      Map<String, Object> price,
      Instant expiresAt) {
    Map<String, Object> d = data(account, amount);
    if (grantId != null) {
      d.put("grantId", grantId);
      d.put("category", category);
      d.put("expiresAt", expiresAt);
      d.put("priority", 50);
      if (price != null) {
        d.put("price", price);
      }
    }
    return event(EventTypes.CREDITED, account, seq, T0.plusSeconds(seq), d);
  }

  private static FeedEvent debited(
      String account, long seq, long amount, Map<String, Long> grants) {
    Map<String, Object> d = data(account, amount);
    if (grants != null) {
      d.put(
          "grants",
          grants.entrySet().stream()
              .map(g -> Map.<String, Object>of("grantId", g.getKey(), "amount", g.getValue()))
              .toList());
    }
    return event(EventTypes.DEBITED, account, seq, T0.plusSeconds(seq), d);
  }

  private static FeedEvent expired(
      String account, long seq, String grantId, long amount, Instant at) {
    Map<String, Object> d = data(account, amount);
    d.put("grantId", grantId);
    return event(EventTypes.GRANT_EXPIRED, account, seq, at, d);
  }

  private static Map<String, Object> data(String account, long amount) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("accountId", account);
    d.put("amount", amount);
    return d;
  }

  private static FeedEvent event(
      String type, String account, long seq, Instant at, Map<String, Object> data) {
    return new FeedEvent(
        "evt_" + account + "_" + seq,
        type,
        at.truncatedTo(ChronoUnit.MICROS),
        "accounts/" + account,
        seq,
        new FeedCursor(1, seq, 0),
        data);
  }
}
