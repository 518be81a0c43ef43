package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.account.AccountEvent.Credited;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedEvent;
import io.leadcredits.feed.FeedPage;
import io.leadcredits.feed.TypeFilter;
import io.leadcredits.lead.Lead;
import io.leadcredits.lead.LeadEvent.ClaimConfirmed;
import io.leadcredits.lead.LeadEvent.LeadCreated;
import io.leadcredits.support.EntityTestKits;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feed over a real journal table on PostgreSQL, written by hand in two transactions that commit
 * out of the order of their rows' orderings: a reader that follows `ordering` alone skips a row;
 * the feed shows each row once, never behind a cursor it has handed out.
 */
class JournalFeedTest {
  private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

  @TempDir static Path dataDir;
  private static Database db;
  private static ActorTestKit kit;
  private static Serialization serialization;
  private static JournalFeed feed;

  @BeforeAll
  static void start() {
    db = Database.start(TestDatabases.embeddedIn(dataDir));
    kit = ActorTestKit.create(EntityTestKits.config());
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    feed = new JournalFeed(db.dataSource(), serialization);
  }

  @AfterAll
  static void stop() {
    feed.close();
    kit.shutdownTestKit();
    db.close();
  }

  @BeforeEach
  void emptyJournal() throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM event_journal");
    }
  }

  @Test
  void aRowCommittedAfterALaterOrderingIsNeitherSkippedNorShownTwice() throws Exception {
    try (Connection early = transaction();
        Connection late = transaction()) {
      long first = insert(early, "ann", 1); // takes the smaller ordering, commits last
      long second = insert(late, "bob", 1);
      late.commit();
      assertThat(second).isGreaterThan(first);
      // What a reader of `ordering > last` would see now: bob's row alone. Past it, ann's is lost.
      assertThat(orderingsVisible()).containsExactly(second);
      FeedPage now = read(FeedCursor.START);
      assertThat(now.items()).isEmpty();
      early.commit();
      FeedPage then = read(now.next());
      assertThat(subjects(then)).containsExactly("accounts/ann", "accounts/bob");
      assertThat(read(then.next()).items()).isEmpty();
    }
  }

  @Test
  void aTransactionStartedFirstButWritingLastComesAfterTheRowsAlreadyShown() throws Exception {
    try (Connection older = transaction();
        Connection newer = transaction()) {
      xid(older); // the older transaction gets its id first
      insert(newer, "ann", 1); // the smaller ordering, in the newer transaction
      insert(older, "bob", 1);
      older.commit();
      FeedPage first = read(FeedCursor.START);
      assertThat(subjects(first)).containsExactly("accounts/bob");
      newer.commit();
      FeedPage second = read(first.next());
      // ann's row has the smaller ordering, and still comes: the feed's order is commit-safe.
      assertThat(subjects(second)).containsExactly("accounts/ann");
      assertThat(read(second.next()).items()).isEmpty();
    }
  }

  @Test
  void everyCursorResumesWithTheSameSuffix() throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      for (int seq = 1; seq <= 5; seq++) {
        insert(c, "ann", seq);
        insert(c, "bob", seq);
      }
    }
    List<FeedEvent> all = read(FeedCursor.START).items();
    assertThat(all).hasSize(10);
    for (int i = 0; i < all.size(); i++) {
      List<FeedEvent> suffix = new ArrayList<>();
      FeedCursor at = all.get(i).cursor();
      FeedPage page;
      do {
        page = feed.read(at, 3, TypeFilter.ALL, Duration.ZERO).toCompletableFuture().get();
        suffix.addAll(page.items());
        at = page.next();
      } while (!page.items().isEmpty());
      assertThat(suffix).isEqualTo(all.subList(i + 1, all.size()));
    }
  }

  @Test
  void aLeadsClaimsAreCountedOnceWhereverAQueryOrAPageEnds() throws Exception {
    String lead = Lead.ENTITY_KEY.name() + PersistenceId.DefaultSeparator() + "l1";
    try (Connection c = db.dataSource().getConnection()) {
      insert(c, lead, 1, new LeadCreated(5, 3, T.plusSeconds(3_600), T));
      for (int claim = 1; claim <= 3; claim++) {
        insert(c, "ann", claim);
        insert(c, lead, 1 + claim, new ClaimConfirmed("c" + claim, "t" + claim, 5, 95, T));
      }
    }
    List<String> expected =
        List.of(
            "lead.created",
            "credit.credited",
            "lead.claimed 1/3",
            "credit.credited",
            "lead.claimed 2/3",
            "credit.credited",
            "lead.claimed 3/3",
            "lead.full 3/3");
    for (int rowsPerQuery = 2; rowsPerQuery <= 8; rowsPerQuery++) {
      try (JournalFeed small = new JournalFeed(db.dataSource(), serialization, rowsPerQuery)) {
        for (int limit = 1; limit <= 9; limit++) {
          List<String> seen = new ArrayList<>();
          FeedCursor at = FeedCursor.START;
          FeedPage page;
          do {
            page = small.read(at, limit, TypeFilter.ALL, Duration.ZERO).toCompletableFuture().get();
            page.items().forEach(e -> seen.add(described(e)));
            at = page.next();
          } while (!page.items().isEmpty());
          assertThat(seen)
              .as("%d rows a query, %d a page", rowsPerQuery, limit)
              .isEqualTo(expected);
        }
      }
    }
  }

  /** The type, and for a lead's claims the count the event tells. */
  private static String described(FeedEvent e) {
    Object claims = e.data().get("claims");
    return claims == null ? e.type() : e.type() + " " + claims + "/" + e.data().get("maxClaims");
  }

  private static FeedPage read(FeedCursor after) throws Exception {
    return feed.read(after, 100, TypeFilter.ALL, Duration.ZERO).toCompletableFuture().get();
  }

  private static List<String> subjects(FeedPage page) {
    return page.items().stream().map(FeedEvent::subject).toList();
  }

  private static Connection transaction() throws SQLException {
    Connection c = db.dataSource().getConnection();
    c.setAutoCommit(false);
    return c;
  }

  private static void xid(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT pg_current_xact_id()").close();
    }
  }

  /** Inserts a credit of {@code account} as the plugin would; returns the row's ordering. */
  private static long insert(Connection c, String account, long seq) throws SQLException {
    Credited event =
        new Credited(new Entry("tx-" + seq, 1, seq - 1, seq, 0, 0, T, Map.of()), "fingerprint");
    return insert(c, "Account|" + account, seq, event);
  }

  private static long insert(Connection c, String persistenceId, long seq, Object event)
      throws SQLException {
    Serializer serializer = serialization.findSerializerFor(event);
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO event_journal (persistence_id, sequence_number, writer, write_timestamp,"
                + " event_ser_id, event_ser_manifest, event_payload) VALUES (?, ?, 'test', 0, ?, ?, ?)"
                + " RETURNING ordering")) {
      s.setString(1, persistenceId);
      s.setLong(2, seq);
      s.setInt(3, serializer.identifier());
      s.setString(4, Serializers.manifestFor(serializer, event));
      s.setBytes(5, serializer.toBinary(event));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static List<Long> orderingsVisible() throws SQLException {
    List<Long> orderings = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT ordering FROM event_journal ORDER BY ordering")) {
      while (rs.next()) {
        orderings.add(rs.getLong(1));
      }
    }
    return orderings;
  }
}
