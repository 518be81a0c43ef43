package io.leadcredits.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcredits.EngineKind;
import io.leadcredits.Ids;
import io.leadcredits.Rejection;
import io.leadcredits.Settings;
import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.AccountRules;
import io.leadcredits.account.AccountState;
import io.leadcredits.account.AccountState.HoldEnd;
import io.leadcredits.account.AccountView;
import io.leadcredits.account.TransactionType;
import io.leadcredits.audit.AuditReport;
import io.leadcredits.claim.ClaimDebit;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.engine.TrailPage;
import io.leadcredits.engine.Unsupported;
import io.leadcredits.lead.LeadReply;
import io.leadcredits.lead.LeadStatus;
import io.leadcredits.persistence.Database;
import io.leadcredits.service.Configs;
import io.leadcredits.support.Await;
import io.leadcredits.support.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What only the baselines have: row locks under concurrency, lazy expiry without a sweeper, the
 * deadlock retry, and a bounded pool. Both baselines share one embedded PostgreSQL here; each test
 * uses ids of its own, prefixed by the engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BaselineEnginesTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  private Settings settings;
  private Database database;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    settings =
        Settings.fromConfig(
            Configs.load(
                Map.of("leadcredits.data-dir", dataDir.toString(), "leadcredits.db.url", "")));
    database = Database.start(settings);
    BaselineSchema.migrate(database.dataSource());
  }

  @AfterAll
  void stop() {
    database.close();
  }

  private BaselineEngine engine(EngineKind kind, Clock clock) {
    TransactionRunner db = runner(settings.baselinePoolSize(), settings.askTimeout());
    return kind == EngineKind.LOCKS
        ? new LockEngine(db, settings, clock)
        : new SqlEngine(db, settings, clock);
  }

  private TransactionRunner runner(int size, Duration timeout) {
    return new TransactionRunner(
        database.jdbcUrl(), database.user(), database.password(), size, timeout);
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private static long balance(AccountReply reply) {
    return ((AccountReply.Accepted) reply).view().balance();
  }

  @ParameterizedTest
  @EnumSource(names = {"LOCKS", "SQL"})
  void concurrentDebitsOnOneAccountNeverGoNegative(EngineKind kind) {
    String account = kind.label() + "-hot";
    try (BaselineEngine engine = engine(kind, Clock.systemUTC())) {
      join(engine.credit(account, "top-up", 100, Map.of()));
      List<CompletableFuture<AccountReply>> debits = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        debits.add(engine.debit(account, "d-" + i, 7, Map.of()).toCompletableFuture());
      }
      List<AccountReply> replies = debits.stream().map(CompletableFuture::join).toList();

      assertThat(replies.stream().filter(AccountReply.Accepted.class::isInstance)).hasSize(14);
      assertThat(replies)
          .filteredOn(AccountReply.Rejected.class::isInstance)
          .allSatisfy(
              r ->
                  assertThat(((AccountReply.Rejected) r).reason())
                      .isEqualTo(Rejection.INSUFFICIENT_CREDITS));
      assertThat(balance(join(engine.account(account)))).isEqualTo(2);
      assertThat(join(engine.transactions(account, 0, 100)).items()).hasSize(15);
      assertThat(join(engine.audit()).ok()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"LOCKS", "SQL"})
  void expiredHoldNeverCountsAndTheNextChangeRecordsItsExpiry(EngineKind kind) {
    String account = kind.label() + "-expiry";
    MutableClock clock = new MutableClock(START);
    try (BaselineEngine engine = engine(kind, clock)) {
      join(engine.credit(account, "top-up", 100, Map.of()));
      join(engine.reserve(account, "h-1", 60, Duration.ofSeconds(10), Map.of()));
      AccountReply refused = join(engine.debit(account, "d-1", 50, Map.of()));
      assertThat(((AccountReply.Rejected) refused).reason())
          .isEqualTo(Rejection.INSUFFICIENT_CREDITS);

      clock.advance(Duration.ofSeconds(10));
      AccountReply.Accepted read = (AccountReply.Accepted) join(engine.account(account));
      assertThat(read.view().available()).isEqualTo(100);
      assertThat(read.view().holds()).isEmpty();
      assertThat(read.view().version()).as("a read records nothing").isEqualTo(2);

      assertThat(balance(join(engine.debit(account, "d-1", 50, Map.of())))).isEqualTo(50);
      TrailPage trail = join(engine.transactions(account, 0, 100));
      assertThat(trail.items().stream().map(TrailPage.Item::type))
          .containsExactly(
              TransactionType.CREDIT,
              TransactionType.RESERVE,
              TransactionType.EXPIRE,
              TransactionType.DEBIT);
      assertThat(trail.items().get(2).at()).isEqualTo(START.plusSeconds(10));

      AccountReply capture = join(engine.capture(account, "h-1"));
      assertThat(((AccountReply.Rejected) capture).reason()).isEqualTo(Rejection.HOLD_NOT_ACTIVE);
      assertThat(join(engine.audit()).ok()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"LOCKS", "SQL"})
  void refusedPaymentLeavesTheSlotFreeAndARepeatedClaimAnswersAsTheFirst(EngineKind kind) {
    String lead = kind.label() + "-lead";
    String poor = kind.label() + "-poor";
    String rich = kind.label() + "-rich";
    try (BaselineEngine engine = engine(kind, Clock.systemUTC())) {
      join(engine.credit(poor, "top-up", 5, Map.of()));
      join(engine.credit(rich, "top-up", 50, Map.of()));
      join(engine.createLead(lead, 20, 1, null));

      ClaimReply refused = join(engine.claim(lead, poor));
      assertThat(((ClaimReply.Rejected) refused).reason())
          .isEqualTo(Rejection.INSUFFICIENT_CREDITS);
      ClaimReply.Claimed won = (ClaimReply.Claimed) join(engine.claim(lead, rich));
      join(engine.credit(rich, "later", 1, Map.of()));
      ClaimReply.Claimed again = (ClaimReply.Claimed) join(engine.claim(lead, rich));

      assertThat(won.result().balance()).isEqualTo(30);
      assertThat(again.replayed()).isTrue();
      assertThat(again.result()).isEqualTo(won.result());
      assertThat(((ClaimReply.Rejected) join(engine.claim(lead, poor))).reason())
          .isEqualTo(Rejection.LEAD_FULL);
      assertThat(balance(join(engine.account(poor)))).isEqualTo(5);
      assertThat(join(engine.audit()).ok()).isTrue();
    }
  }

  /**
   * A winner's claim id and its debit's metadata and fingerprint are the ones the actor engine
   * makes, though the sql baseline builds them inside the database (for a winner only): a retry of
   * the debit is the same request to every engine, and the checker ties the debit to its lead.
   */
  @ParameterizedTest
  @EnumSource(names = {"LOCKS", "SQL"})
  void aWinnersDebitCarriesTheClaimIdMetadataAndFingerprintOfTheJavaCode(EngineKind kind)
      throws SQLException {
    String lead = kind.label() + "-debit-lead";
    String tradie = kind.label() + "-debit-tradie";
    try (BaselineEngine engine = engine(kind, Clock.systemUTC())) {
      join(engine.credit(tradie, "top-up", 50, Map.of()));
      join(engine.createLead(lead, 12, 1, null));
      ClaimReply.Claimed won = (ClaimReply.Claimed) join(engine.claim(lead, tradie));

      String claimId = Ids.claimId(lead, tradie);
      assertThat(won.result().claimId()).isEqualTo(claimId);
      try (Connection c = database.dataSource().getConnection();
          PreparedStatement s =
              c.prepareStatement(
                  "SELECT type, metadata::text, fingerprint FROM bl_ledger"
                      + " WHERE account_id = ? AND transaction_id = ?")) {
        s.setString(1, tradie);
        s.setString(2, claimId);
        try (ResultSet rs = s.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString("type")).isEqualTo("DEBIT");
          assertThat(Rows.metadata(rs.getString("metadata")))
              .isEqualTo(ClaimDebit.metadata(lead, claimId));
          assertThat(rs.getString("fingerprint"))
              .isEqualTo(ClaimDebit.fingerprint(12, lead, claimId));
          assertThat(rs.next()).isFalse();
        }
      }
    }
  }

  /** bl_claim's builders against the Java code, over ids of every length and character allowed. */
  @Test
  void theSqlBaselineBuildsTheClaimIdMetadataAndFingerprintAsTheJavaCodeDoes() throws SQLException {
    Random random = new Random(27);
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT bl_claim_id(?, ?), bl_claim_metadata(?, ?)::text,"
                    + " bl_claim_fingerprint(?, ?, ?)")) {
      for (int i = 0; i < 500; i++) {
        String lead = randomId(random);
        String tradie = randomId(random);
        long cost = Math.max(1, random.nextLong() >>> (i % 2 == 0 ? 54 : 1)); // small or any
        String claimId = Ids.claimId(lead, tradie);
        s.setString(1, lead);
        s.setString(2, tradie);
        s.setString(3, lead);
        s.setString(4, claimId);
        s.setLong(5, cost);
        s.setString(6, lead);
        s.setString(7, claimId);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          assertThat(rs.getString(1)).as("claim id of %s, %s", lead, tradie).isEqualTo(claimId);
          assertThat(Rows.metadata(rs.getString(2))).isEqualTo(ClaimDebit.metadata(lead, claimId));
          assertThat(rs.getString(3)).isEqualTo(ClaimDebit.fingerprint(cost, lead, claimId));
        }
      }
    }
  }

  /** An id as {@link Ids#isValid} allows it: 1 to 64 of {@code [A-Za-z0-9_.-]}. */
  private static String randomId(Random random) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";
    StringBuilder id = new StringBuilder();
    for (int n = 1 + random.nextInt(64); n > 0; n--) {
      id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return id.toString();
  }

  @ParameterizedTest
  @EnumSource(names = {"LOCKS", "SQL"})
  void operationsTheBenchmarkDoesNotDriveAreNotOffered(EngineKind kind) {
    String account = kind.label() + "-scope";
    String lead = kind.label() + "-scope-lead";
    try (BaselineEngine engine = engine(kind, Clock.systemUTC())) {
      join(engine.credit(account, "top-up", 10, Map.of()));
      join(engine.reserve(account, "h-1", 4, null, Map.of()));
      join(engine.createLead(lead, 5, 1, null));

      assertThat(Unsupported.answered(engine.leads(null, 10))).isTrue();
      assertThat(Unsupported.answered(engine.cluster())).isTrue();
      assertThat(((AccountReply.Accepted) join(engine.account(account))).view().available())
          .isEqualTo(6);
      assertThat(join(engine.lead(lead))).isInstanceOf(LeadReply.Accepted.class);
      assertThat(((LeadReply.Accepted) join(engine.lead(lead))).view().status())
          .isEqualTo(LeadStatus.OPEN);
    }
  }

  /**
   * The lock baseline decides with the actor's rulebook; what it adds is storage. So random account
   * operations (repeats and conflicting repeats of earlier ids, holds that expire, are captured or
   * released, too many holds, a bad ttl) must get exactly the answers {@link AccountRules} gives on
   * a state folded in memory, and leave exactly the events it decided as the trail.
   */
  @Test
  void lockEngineAnswersAsTheRulebookFoldedInMemory() {
    Settings fewHolds =
        Settings.fromConfig(
            Configs.load(
                Map.of(
                    "leadcredits.data-dir", settings.dataDir().toString(),
                    "leadcredits.db.url", "",
                    "leadcredits.account.holds-per-account-max", "3")));
    AccountRules.Bounds bounds =
        new AccountRules.Bounds(
            fewHolds.holdsPerAccountMax(), fewHolds.holdTtlDefault(), fewHolds.holdTtlMax());
    MutableClock clock = new MutableClock(START);
    Random random = new Random(7);
    List<String> accounts = List.of("rb-a", "rb-b");
    Map<String, AccountState> states = new HashMap<>();
    Map<String, List<AccountEvent>> trails = new HashMap<>();
    TransactionRunner db = runner(fewHolds.baselinePoolSize(), fewHolds.askTimeout());
    try (LockEngine engine = new LockEngine(db, fewHolds, clock)) {
      for (int step = 0; step < 500; step++) {
        clock.advance(Duration.ofMillis(random.nextInt(4) * 700L));
        Instant now = clock.instant();
        String account = accounts.get(random.nextInt(accounts.size()));
        int n = random.nextInt(8);
        String tag = n + "-" + step / 40; // ids come back within a window of steps, then new ones
        boolean other = random.nextInt(8) == 0; // a repeat of an id with another payload
        long amount = other ? 1 + random.nextInt(40) : 1 + 4L * n;
        Map<String, String> metadata = n % 3 == 0 ? Map.of("n", "" + n) : Map.of();
        Duration ttl =
            other
                ? List.of(Duration.ZERO, Duration.ofHours(25), Duration.ofSeconds(2))
                    .get(random.nextInt(3))
                : n == 0 ? null : Duration.ofSeconds(n);
        String hold = (random.nextInt(10) == 0 ? "c" : "h") + tag;
        AccountState state = states.getOrDefault(account, AccountState.empty());
        AccountRules.Decision expected;
        AccountReply actual;
        switch (random.nextInt(11)) {
          case 0, 1 -> {
            String id = "c" + tag;
            long credit = other ? 31 : 30;
            expected = AccountRules.credit(state, state.transaction(id), id, credit, metadata, now);
            actual = join(engine.credit(account, id, credit, metadata));
          }
          case 2, 3 -> {
            String id = "d" + tag;
            expected = AccountRules.debit(state, state.transaction(id), id, amount, metadata, now);
            actual = join(engine.debit(account, id, amount, metadata));
          }
          case 4, 5, 6 -> {
            String id = "h" + tag;
            expected =
                AccountRules.reserve(
                    state, bounds, state.transaction(id), id, amount, ttl, metadata, now);
            actual = join(engine.reserve(account, id, amount, ttl, metadata));
          }
          case 7, 8 -> {
            expected =
                AccountRules.endHold(state, state.transaction(hold), hold, HoldEnd.CAPTURED, now);
            actual = join(engine.capture(account, hold));
          }
          case 9 -> {
            expected =
                AccountRules.endHold(state, state.transaction(hold), hold, HoldEnd.RELEASED, now);
            actual = join(engine.release(account, hold));
          }
          default -> {
            expected = AccountRules.get(state, account);
            actual = join(engine.account(account));
          }
        }
        AccountReply want;
        if (expected instanceof AccountRules.Reject r) {
          want = new AccountReply.Rejected(r.reason(), r.detail());
        } else {
          AccountRules.Accept a = (AccountRules.Accept) expected;
          for (AccountEvent e : a.events()) {
            state = state.apply(e);
            trails.computeIfAbsent(account, k -> new ArrayList<>()).add(e);
          }
          states.put(account, state);
          // The baselines keep no grants (a product feature): compared without them.
          AccountView view = state.view(account, now);
          want =
              new AccountReply.Accepted(
                  new AccountView(
                      view.accountId(),
                      view.balance(),
                      view.reserved(),
                      view.available(),
                      view.holds(),
                      view.version()),
                  a.balanceAfter(),
                  a.replayed());
        }
        assertThat(actual).as("step " + step).isEqualTo(want);
      }
      for (String account : accounts) {
        List<AccountEvent> events = trails.getOrDefault(account, List.of());
        List<TrailPage.Item> expected = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
          TrailPage.Item item = TrailPage.Item.of(i + 1, events.get(i));
          expected.add(
              new TrailPage.Item(
                  item.version(),
                  item.transactionId(),
                  item.type(),
                  item.amount(),
                  item.balanceBefore(),
                  item.balanceAfter(),
                  item.reservedBefore(),
                  item.reservedAfter(),
                  item.at(),
                  item.metadata()));
        }
        assertThat(join(engine.transactions(account, 0, 1000)).items())
            .as(account)
            .isEqualTo(expected);
      }
      assertThat(join(engine.audit()).ok()).isTrue();
    }
  }

  @Test
  void auditCatchesAConfirmedClaimWithoutItsDebit() throws SQLException {
    try (BaselineEngine engine = engine(EngineKind.SQL, Clock.systemUTC());
        Connection c = database.dataSource().getConnection()) {
      join(engine.createLead("planted-lead", 10, 2, null));
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO bl_claims VALUES ('planted-lead', 'nobody', 'clm_planted', 1, 10, 0,"
                  + " now())")) {
        s.executeUpdate();
      }
      try {
        AuditReport report = join(engine.audit());
        assertThat(report.ok()).isFalse();
        assertThat(report.violations()).anyMatch(v -> v.contains("clm_planted"));
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("DELETE FROM bl_claims WHERE claim_id = 'clm_planted'");
        }
      }
    }
  }

  @Test
  void aTransactionChosenAsDeadlockVictimIsRetried() throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO bl_accounts (account_id) VALUES ('dl-a'), ('dl-b')");
    }
    CyclicBarrier bothHoldTheirFirstRow = new CyclicBarrier(2);
    AtomicInteger attempts = new AtomicInteger();
    try (TransactionRunner db = runner(2, Duration.ofSeconds(30))) {
      List<CompletableFuture<Integer>> both = new ArrayList<>();
      for (String[] order : new String[][] {{"dl-a", "dl-b"}, {"dl-b", "dl-a"}}) {
        both.add(
            db.inTransaction(
                    c -> {
                      boolean first = attempts.incrementAndGet() <= 2;
                      lock(c, order[0]);
                      if (first) {
                        awaitQuietly(bothHoldTheirFirstRow);
                      }
                      lock(c, order[1]);
                      return 1;
                    })
                .toCompletableFuture());
      }
      assertThat(both.stream().map(CompletableFuture::join)).containsExactly(1, 1);
    }
    assertThat(attempts.get()).as("one of the two ran again").isEqualTo(3);
  }

  @Test
  void aCallThatCannotGetAThreadInTimeFailsWithoutTouchingTheDatabase() {
    CountDownLatch release = new CountDownLatch(1);
    try (TransactionRunner db = runner(1, Duration.ofMillis(200))) {
      CompletableFuture<Boolean> busy =
          db.autoCommit(c -> awaitQuietly(release)).toCompletableFuture();
      AtomicInteger ran = new AtomicInteger();
      CompletableFuture<Integer> late =
          db.autoCommit(c -> ran.incrementAndGet()).toCompletableFuture();
      List<CompletableFuture<Integer>> queued = new ArrayList<>();
      for (int i = 1; i < TransactionRunner.QUEUE_LENGTH_MAX; i++) {
        queued.add(db.autoCommit(c -> ran.incrementAndGet()).toCompletableFuture());
      }
      CompletableFuture<Integer> overflow =
          db.autoCommit(c -> ran.incrementAndGet()).toCompletableFuture();
      assertThatThrownBy(overflow::join).hasCauseInstanceOf(RejectedExecutionException.class);

      long queuedAt = System.nanoTime();
      Await.until(
          Duration.ofSeconds(5),
          "the queued calls waited past their timeout",
          () -> System.nanoTime() - queuedAt > Duration.ofMillis(300).toNanos());
      release.countDown();
      assertThat(busy.join()).isTrue();
      assertThatThrownBy(late::join)
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(TimeoutException.class);
      queued.forEach(f -> assertThatThrownBy(f::join).hasCauseInstanceOf(TimeoutException.class));
      assertThat(ran.get()).isZero();
    }
  }

  /**
   * The lock baseline looks a tradie's own claim up in the statement that locks the lead, whose
   * snapshot predates its wait for the lock: a claim of the same tradie committed during that wait
   * must still be found (the lock holder's claim here), not taken a second time.
   */
  @Test
  void aClaimCommittedWhileWaitingForTheLeadIsFoundAfterTheLock() throws Exception {
    String lead = "locks-waited-lead";
    String tradie = "locks-waited-tradie";
    try (BaselineEngine engine = engine(EngineKind.LOCKS, Clock.systemUTC());
        Connection holder = database.dataSource().getConnection()) {
      join(engine.createLead(lead, 10, 2, null));
      join(engine.credit(tradie, "top-up", 100, Map.of()));
      holder.setAutoCommit(false);
      try (PreparedStatement s =
          holder.prepareStatement("SELECT 1 FROM bl_leads WHERE lead_id = ? FOR UPDATE")) {
        s.setString(1, lead);
        s.executeQuery().close();
      }
      try (PreparedStatement s =
          holder.prepareStatement(
              "INSERT INTO bl_claims (lead_id, tradie_id, claim_id, seq, credits_used,"
                  + " balance_after, at) VALUES (?, ?, 'claim-won-first', 1, 10, 90, now())")) {
        s.setString(1, lead);
        s.setString(2, tradie);
        s.executeUpdate();
      }
      try (PreparedStatement s =
          holder.prepareStatement("UPDATE bl_leads SET claims = 1 WHERE lead_id = ?")) {
        s.setString(1, lead);
        s.executeUpdate();
      }
      CompletableFuture<ClaimReply> claim = engine.claim(lead, tradie).toCompletableFuture();
      awaitLockWaiter();
      holder.commit();

      ClaimReply reply = join(claim);

      assertThat(reply).isInstanceOf(ClaimReply.Claimed.class);
      ClaimReply.Claimed won = (ClaimReply.Claimed) reply;
      assertThat(won.replayed()).isTrue();
      assertThat(won.result().claimId()).isEqualTo("claim-won-first");
      assertThat(balance(join(engine.account(tradie)))).isEqualTo(100);
    } finally {
      // The planted claim has no debit: left in the shared database, every later audit fails.
      try (Connection c = database.dataSource().getConnection();
          PreparedStatement claims = c.prepareStatement("DELETE FROM bl_claims WHERE lead_id = ?");
          PreparedStatement leads = c.prepareStatement("DELETE FROM bl_leads WHERE lead_id = ?")) {
        claims.setString(1, lead);
        claims.executeUpdate();
        leads.setString(1, lead);
        leads.executeUpdate();
      }
    }
  }

  /**
   * The lock baseline asks whether a transaction id was seen in the statement that locks the
   * account; a change of the same id committed during its wait for the lock must be found after it
   * and answered as a repeat, not written twice.
   */
  @Test
  void aChangeCommittedWhileWaitingForTheAccountIsFoundAfterTheLock() throws Exception {
    String account = "locks-waited-account";
    Instant now = Instant.now();
    try (BaselineEngine engine = engine(EngineKind.LOCKS, Clock.systemUTC());
        Connection holder = database.dataSource().getConnection()) {
      join(engine.credit(account, "top-up", 100, Map.of()));
      holder.setAutoCommit(false);
      LockedAccounts.change(
          holder,
          account,
          "same-debit",
          false,
          now,
          (state, seen) -> AccountRules.debit(state, seen, "same-debit", 7, Map.of(), now));
      CompletableFuture<AccountReply> again =
          engine.debit(account, "same-debit", 7, Map.of()).toCompletableFuture();
      awaitLockWaiter();
      holder.commit();

      AccountReply reply = join(again);

      assertThat(reply).isInstanceOf(AccountReply.Accepted.class);
      assertThat(((AccountReply.Accepted) reply).replayed()).isTrue();
      assertThat(balance(join(engine.account(account)))).isEqualTo(93);
    }
  }

  /** Until some statement waits for a row lock another transaction holds. */
  private void awaitLockWaiter() {
    Await.until(
        Duration.ofSeconds(30),
        "a statement waits for the row lock",
        () -> {
          try (Connection c = database.dataSource().getConnection();
              Statement s = c.createStatement();
              java.sql.ResultSet rs =
                  s.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
            rs.next();
            return rs.getLong(1) > 0;
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static void lock(Connection c, String account) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT 1 FROM bl_accounts WHERE account_id = ? FOR UPDATE")) {
      s.setString(1, account);
      s.executeQuery().close();
    }
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while holding the only thread", e);
    }
  }

  private static void awaitQuietly(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the other transaction never took its first lock", e);
    }
  }
}
