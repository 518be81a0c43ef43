package io.leadcredits.account;

import io.leadcredits.JsonSerializable;
import io.leadcredits.account.AccountEvent.AlertsChanged;
import io.leadcredits.account.AccountEvent.Captured;
import io.leadcredits.account.AccountEvent.Credited;
import io.leadcredits.account.AccountEvent.Debited;
import io.leadcredits.account.AccountEvent.Entry;
import io.leadcredits.account.AccountEvent.Expired;
import io.leadcredits.account.AccountEvent.GrantExpired;
import io.leadcredits.account.AccountEvent.GrantVoided;
import io.leadcredits.account.AccountEvent.Refunded;
import io.leadcredits.account.AccountEvent.Released;
import io.leadcredits.account.AccountEvent.Reserved;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import scala.collection.immutable.HashMap;

/**
 * An account's state: the fold of its events. Immutable; the holds are a persistent map and the
 * remembered transactions a {@link TransactionMemory} (both share structure), so applying an event
 * costs little even for an account with a day of transactions to remember. {@code reserved} counts
 * every hold not yet ended, including holds past their expiry whose EXPIRE is not recorded yet;
 * views and checks use {@link #reservedAt(Instant)}, which leaves those out. Snapshots store it as
 * JSON as it is (Pekko's Jackson has the Scala module; the memory lists itself as a map of id to
 * record). The memory holds a bounded number of the newest ids; older ones within the window are in
 * {@code forgotten}, a filter that says which ids must be looked up in the journal.
 *
 * <p>{@code grants} are the live grants the balance is made of: balance = Σ (remaining + earmarked)
 * over them, reserved = Σ earmarked. A state from before grants (an old snapshot, or an account
 * kept as rows by a baseline) has none stored and reads as one paid, never-expiring legacy grant.
 *
 * <p>{@code lowBalanceThreshold}: below it a fall of available is marked on the change that made it
 * (see {@link AccountEvent.Entry#lowBalance()}); 0 is off, and what a snapshot from before alerts
 * reads as.
 */
public record AccountState(
    long balance,
    long reserved,
    HashMap<String, Hold> holds,
    TransactionMemory transactions,
    TransactionFilter forgotten,
    long version,
    Grants grants,
    long lowBalanceThreshold)
    implements JsonSerializable {

  public AccountState {
    // Snapshots written before ids left memory have no filter.
    forgotten = forgotten == null ? TransactionFilter.empty() : forgotten;
    // Snapshots written before grants have none: the balance is one legacy grant, which the open
    // holds (read the same way) earmarked.
    grants = grants == null ? Grants.legacy(balance - reserved, reserved) : grants;
  }

  public AccountState(
      long balance,
      long reserved,
      HashMap<String, Hold> holds,
      TransactionMemory transactions,
      TransactionFilter forgotten,
      long version,
      Grants grants) {
    this(balance, reserved, holds, transactions, forgotten, version, grants, 0);
  }

  public AccountState(
      long balance,
      long reserved,
      HashMap<String, Hold> holds,
      TransactionMemory transactions,
      TransactionFilter forgotten,
      long version) {
    this(balance, reserved, holds, transactions, forgotten, version, null);
  }

  public AccountState(
      long balance,
      long reserved,
      HashMap<String, Hold> holds,
      TransactionMemory transactions,
      long version) {
    this(balance, reserved, holds, transactions, TransactionFilter.empty(), version, null);
  }

  /**
   * An open hold and what it earmarked on each grant (read from before grants: all on the legacy
   * grant).
   */
  public record Hold(String holdId, long amount, Instant expiresAt, List<GrantAmount> earmarks) {
    public Hold {
      earmarks =
          earmarks == null
              ? List.of(new GrantAmount(Grant.LEGACY_ID, amount))
              : List.copyOf(earmarks);
    }

    public Hold(String holdId, long amount, Instant expiresAt) {
      this(holdId, amount, expiresAt, null);
    }

    boolean expiredAt(Instant now) {
      return !expiresAt.isAfter(now);
    }
  }

  /** How a hold ended: exactly one of these, once. */
  public enum HoldEnd {
    CAPTURED,
    RELEASED,
    EXPIRED;

    /** The end {@code event} records; empty for an event that ends no hold. */
    public static Optional<HoldEnd> of(AccountEvent event) {
      if (event instanceof Captured) {
        return Optional.of(CAPTURED);
      }
      if (event instanceof Released) {
        return Optional.of(RELEASED);
      }
      return event instanceof Expired ? Optional.of(EXPIRED) : Optional.empty();
    }
  }

  /**
   * What is remembered of an applied transaction for idempotency: the request's fingerprint and the
   * balance right after it; for a hold also how it ended ({@code null} while open) and the balance
   * right after the end, so a repeated reserve and a repeated capture each get their own first
   * answer.
   */
  public record TxRecord(
      String fingerprint, long balanceAfter, Instant at, HoldEnd holdEnd, long endBalanceAfter) {
    TxRecord ended(HoldEnd end, long balanceAfterEnd) {
      return new TxRecord(fingerprint, balanceAfter, at, end, balanceAfterEnd);
    }
  }

  /**
   * What is remembered of each transaction of {@code events} (in journal order), as the fold of
   * those events would have remembered it: the newest opening of an id, and how that hold ended.
   */
  public static java.util.Map<String, TxRecord> records(List<AccountEvent> events) {
    java.util.Map<String, TxRecord> records = new java.util.HashMap<>();
    for (AccountEvent event : events) {
      Entry e = event.entry();
      String id = e.transactionId();
      if (event instanceof Credited c) {
        records.put(id, new TxRecord(c.fingerprint(), e.balanceAfter(), e.at(), null, 0));
      } else if (event instanceof Debited d) {
        records.put(id, new TxRecord(d.fingerprint(), e.balanceAfter(), e.at(), null, 0));
      } else if (event instanceof Reserved r) {
        records.put(id, new TxRecord(r.fingerprint(), e.balanceAfter(), e.at(), null, 0));
      } else if (event instanceof GrantVoided v && v.fingerprint() != null) {
        records.put(id, new TxRecord(v.fingerprint(), e.balanceAfter(), e.at(), null, 0));
      } else if (event instanceof Refunded r) {
        records.put(id, new TxRecord(r.fingerprint(), e.balanceAfter(), e.at(), null, 0));
      } else if (records.containsKey(id) && HoldEnd.of(event).isPresent()) {
        records.put(id, records.get(id).ended(HoldEnd.of(event).get(), e.balanceAfter()));
      }
    }
    return records;
  }

  /**
   * An account kept as rows rather than folded from its journal (the lock baseline): its counters
   * and version as stored, and the events of every transaction a decision may need, in journal
   * order: those that opened its open holds, and all of the command's own transaction id. Those are
   * the transactions it remembers; its holds are the reservations among them that none of them
   * ended. Throws when the holds do not add up to {@code reserved}: the events given are not all.
   */
  public static AccountState of(
      long balance, long reserved, long version, List<AccountEvent> events) {
    java.util.Map<String, TxRecord> records = records(events);
    HashMap<String, Hold> holds = emptyMap();
    long held = 0;
    for (AccountEvent event : events) {
      String id = event.entry().transactionId();
      boolean open = records.get(id).holdEnd() == null && !holds.contains(id);
      if (event instanceof Reserved r && open) {
        holds = holds.updated(id, new Hold(id, r.entry().amount(), r.expiresAt(), r.grants()));
        held += r.entry().amount();
      }
    }
    if (held != reserved) {
      throw new IllegalStateException(
          "open holds of " + held + " do not add up to reserved " + reserved);
    }
    return new AccountState(
        balance,
        reserved,
        holds,
        TransactionMemory.of(records),
        TransactionFilter.empty(),
        version,
        null);
  }

  /** Immutable, so one serves every account: Pekko keeps each entity's empty state for good. */
  public static AccountState empty() {
    return Empty.state;
  }

  /**
   * A holder, so the constant is built on first use: built in this class's own static init it would
   * read {@link TransactionMemory#empty()} as null whenever TransactionMemory is loaded first (its
   * static init calls {@link #emptyMap()}).
   */
  private static final class Empty {
    static final AccountState state =
        new AccountState(
            0,
            0,
            emptyMap(),
            TransactionMemory.empty(),
            TransactionFilter.empty(),
            0,
            Grants.empty());
  }

  public boolean exists() {
    return version > 0;
  }

  public Optional<TxRecord> transaction(String transactionId) {
    return transactions.get(transactionId);
  }

  /**
   * Whether the journal may hold a transaction with this id that memory no longer has: only then is
   * the id worth a look-up. False is certain.
   */
  public boolean mayHaveForgotten(String transactionId) {
    return forgotten.mightContain(transactionId) && transactions.get(transactionId).isEmpty();
  }

  public Optional<Hold> hold(String holdId) {
    scala.Option<Hold> found = holds.get(holdId);
    return found.isDefined() ? Optional.of(found.get()) : Optional.empty();
  }

  /** Credits held by holds still live at {@code now}. */
  public long reservedAt(Instant now) {
    long sum = 0;
    for (Hold h : holdList()) {
      if (!h.expiredAt(now)) {
        sum = Math.addExact(sum, h.amount());
      }
    }
    return sum;
  }

  public long availableAt(Instant now) {
    return balance - reservedAt(now);
  }

  /** Holds past their expiry whose EXPIRE is not yet recorded, earliest first. */
  public List<Hold> dueHolds(Instant now) {
    List<Hold> due = new ArrayList<>();
    for (Hold h : holdList()) {
      if (h.expiredAt(now)) {
        due.add(h);
      }
    }
    due.sort(Comparator.comparing(Hold::expiresAt).thenComparing(Hold::holdId));
    return due;
  }

  /** When the next hold or grant expires, if any. */
  public Optional<Instant> nextExpiry() {
    Optional<Instant> hold =
        holdList().stream().map(Hold::expiresAt).min(Comparator.naturalOrder());
    Optional<Instant> grant = grants.nextDue();
    if (hold.isEmpty() || grant.isEmpty()) {
      return hold.isPresent() ? hold : grant;
    }
    return Optional.of(hold.get().isBefore(grant.get()) ? hold.get() : grant.get());
  }

  /** Whether a hold or a grant is due to expire (or be voided) at {@code now}, unrecorded. */
  public boolean dueAt(Instant now) {
    if (grants.firstDue(now) != null) {
      return true;
    }
    scala.collection.Iterator<Hold> open = holds.valuesIterator();
    while (open.hasNext()) {
      if (open.next().expiredAt(now)) {
        return true;
      }
    }
    return false;
  }

  public List<Hold> holdList() {
    List<Hold> list = new ArrayList<>(holds.size());
    holds.valuesIterator().foreach(h -> list.add(h));
    return list;
  }

  /**
   * The account as it is at {@code now}: with every expiry due by then, recorded or not, as the
   * next command would record it (expired holds freed, expired grants gone).
   */
  public AccountView view(String accountId, Instant now) {
    AccountState s = dueAt(now) ? AccountRules.expiries(this, now).after() : this;
    List<AccountView.HoldView> live = new ArrayList<>();
    for (Hold h : s.holdList()) {
      live.add(new AccountView.HoldView(h.holdId(), h.amount(), h.expiresAt()));
    }
    live.sort(
        Comparator.comparing(AccountView.HoldView::expiresAt)
            .thenComparing(AccountView.HoldView::holdId));
    return new AccountView(
        accountId,
        s.balance,
        s.reserved,
        s.balance - s.reserved,
        live,
        version,
        AccountView.GrantsView.of(s.grants),
        lowBalanceThreshold);
  }

  /** The next state. Throws on an event that could not have been produced from this state. */
  public AccountState apply(AccountEvent event) {
    Entry e = event.entry();
    check(
        e.balanceBefore() == balance && e.reservedBefore() == reserved,
        "event does not chain",
        event);
    if (event instanceof AlertsChanged a) {
      check(
          e.amount() == 0
              && e.balanceAfter() == balance
              && e.reservedAfter() == reserved
              && a.lowBalanceThreshold() >= 0
              && e.lowBalance() == null,
          "alerts change no credits",
          event);
      AccountState moved = with(e, holds, transactions, grants);
      return new AccountState(
          moved.balance,
          moved.reserved,
          moved.holds,
          moved.transactions,
          moved.forgotten,
          moved.version,
          moved.grants,
          a.lowBalanceThreshold());
    }
    check(e.amount() > 0, "amount must be positive", event);
    check(
        java.util.Objects.equals(
            e.lowBalance(),
            Entry.crossing(lowBalanceThreshold, e.availableBefore(), e.availableAfter())),
        "a fall below the low-balance threshold is marked, and only that",
        event);
    AccountState next;
    if (event instanceof Credited c) {
      check(
          e.balanceAfter() == Math.addExact(balance, e.amount()) && e.reservedAfter() == reserved,
          "credit",
          event);
      next = with(e, holds, remember(e, c.fingerprint()), granted(c));
    } else if (event instanceof Debited d) {
      check(
          e.balanceAfter() == balance - e.amount() && e.reservedAfter() == reserved,
          "debit",
          event);
      List<GrantAmount> taken = taken(d.grants(), e.amount(), event);
      next = with(e, holds, remember(e, d.fingerprint()), grants.moved(taken, true, null));
    } else if (event instanceof Reserved r) {
      check(
          e.balanceAfter() == balance && e.reservedAfter() == reserved + e.amount(),
          "reserve",
          event);
      check(!holds.contains(e.transactionId()), "hold already open", event);
      List<GrantAmount> earmarks = taken(r.grants(), e.amount(), event);
      Hold hold = new Hold(e.transactionId(), e.amount(), r.expiresAt(), earmarks);
      next =
          with(
              e,
              holds.updated(e.transactionId(), hold),
              remember(e, r.fingerprint()),
              grants.moved(earmarks, true, Boolean.TRUE));
    } else if (event instanceof Captured c) {
      next = endHold(event, HoldEnd.CAPTURED, balance - e.amount(), c.grants());
    } else if (event instanceof Released) {
      next = endHold(event, HoldEnd.RELEASED, balance, null);
    } else if (event instanceof Expired) {
      next = endHold(event, HoldEnd.EXPIRED, balance, null);
    } else if (event instanceof GrantExpired x) {
      next = withoutRemainder(event, x.grantId(), null);
    } else if (event instanceof GrantVoided v) {
      next = withoutRemainder(event, v.grantId(), v);
    } else if (event instanceof Refunded r) {
      check(
          e.balanceAfter() == Math.addExact(balance, e.amount()) && e.reservedAfter() == reserved,
          "refund",
          event);
      next = with(e, holds, remember(e, r.fingerprint()), refunded(r));
    } else {
      throw new IllegalStateException("unknown event " + event);
    }
    check(
        next.balance >= 0 && next.reserved >= 0 && next.reserved <= next.balance,
        "balance invariant",
        event);
    return next;
  }

  /** The grants after a top-up: a grant of its own, or (stored without terms) the legacy grant. */
  private Grants granted(Credited c) {
    Entry e = c.entry();
    if (c.grant() == null) {
      Optional<Grant> legacy = grants.get(Grant.LEGACY_ID);
      return grants.with(
          legacy.isPresent() ? legacy.get().topUp(e.amount()) : Grant.legacy(e.amount(), 0));
    }
    check(grants.get(e.transactionId()).isEmpty(), "grant already live", c);
    return grants.with(Grant.of(e.transactionId(), c.grant(), e.amount(), e.at(), version + 1));
  }

  /** The grants after a refund: each part onto its live grant, or a grant (re)made. */
  private Grants refunded(Refunded r) {
    Grants after = grants;
    long sum = 0;
    for (RefundPart p : r.grants()) {
      check(p.amount() > 0, "refund part not positive", r);
      sum = Math.addExact(sum, p.amount());
      Optional<Grant> live = after.get(p.grantId());
      if (p.terms() == null) {
        check(live.isPresent() && live.get().voidedBy() == null, "refund to no live grant", r);
        after = after.with(live.get().topUp(p.amount()));
      } else {
        check(live.isEmpty(), "refund makes a live grant again", r);
        after =
            after.with(
                p.grantId().equals(Grant.LEGACY_ID)
                    ? Grant.legacy(p.amount(), 0)
                    : Grant.of(p.grantId(), p.terms(), p.amount(), r.entry().at(), version + 1));
      }
    }
    check(sum == r.entry().amount(), "refund parts do not add up to the amount", r);
    return after;
  }

  /**
   * What an event takes from the grants: as it names them, or (stored before grants) in spending
   * order from what is there.
   */
  private List<GrantAmount> taken(List<GrantAmount> named, long amount, AccountEvent event) {
    List<GrantAmount> taken = named != null ? named : grants.allocate(amount, null);
    check(taken != null && sum(taken) == amount, "grants do not add up to the amount", event);
    for (GrantAmount a : taken) {
      Optional<Grant> g = grants.get(a.grantId());
      check(
          g.isPresent() && g.get().voidedBy() == null && !g.get().expiredAt(event.entry().at()),
          "spent from a grant after its end",
          event);
    }
    return taken;
  }

  private static long sum(List<GrantAmount> amounts) {
    long sum = 0;
    for (GrantAmount a : amounts) {
      sum = Math.addExact(sum, a.amount());
    }
    return sum;
  }

  /** A grant's whole remainder gone: expired, or voided by {@code voided}. */
  private AccountState withoutRemainder(AccountEvent event, String grantId, GrantVoided voided) {
    Entry e = event.entry();
    Grant g =
        grants
            .get(grantId)
            .orElseThrow(() -> new IllegalStateException("no live grant for " + event));
    check(
        e.amount() == g.remaining()
            && e.balanceAfter() == balance - e.amount()
            && e.reservedAfter() == reserved,
        "grant remainder",
        event);
    Grant after = g.withAmounts(0, g.earmarked());
    TransactionMemory txs = transactions;
    if (voided != null && voided.fingerprint() != null) {
      check(g.voidedBy() == null, "grant voided twice", event);
      after = after.voided(e.transactionId());
      txs = remember(e, voided.fingerprint());
    } else if (voided != null) {
      check(e.transactionId().equals(g.voidedBy()), "a void follows its void", event);
    } else {
      check(g.expiredAt(e.at()), "grant expired before its time", event);
    }
    return with(e, holds, txs, grants.with(after));
  }

  /** Forgets transactions older than the window, except holds still open. */
  public AccountState forgetBefore(Instant cutoff) {
    return new AccountState(
        balance,
        reserved,
        holds,
        transactions.forgetBefore(cutoff, holds::contains),
        forgotten.retiredBefore(cutoff),
        version,
        grants,
        lowBalanceThreshold);
  }

  /**
   * Moves the oldest remembered ids from memory to the filter until at most {@code max} are left
   * (open holds stay in memory: their end updates their record).
   */
  public AccountState keepingInMemory(int max) {
    TransactionMemory memory = transactions;
    TransactionFilter filter = forgotten;
    while (memory.size() > max) {
      TransactionMemory.Eviction out = memory.evictOldest(holds::contains);
      if (out.ids().isEmpty()) {
        break; // only open holds are left to evict
      }
      memory = out.memory();
      filter = filter.with(out.ids(), out.newestAt());
    }
    return memory == transactions
        ? this
        : new AccountState(
            balance, reserved, holds, memory, filter, version, grants, lowBalanceThreshold);
  }

  /** Whether the fold should prune now: every 1,000 events keeps pruning off the hot path. */
  public boolean pruneDue() {
    return version % 1000 == 0;
  }

  /**
   * When the oldest remembered transaction happened, in memory or in the filter: nothing is
   * forgotten before it ages.
   */
  public Optional<Instant> oldestTransactionAt() {
    Optional<Instant> inMemory = transactions.oldestAt();
    Optional<Instant> inFilter = forgotten.oldestSliceNewestAt();
    if (inMemory.isEmpty() || inFilter.isEmpty()) {
      return inMemory.isPresent() ? inMemory : inFilter;
    }
    return Optional.of(inMemory.get().isBefore(inFilter.get()) ? inMemory.get() : inFilter.get());
  }

  private AccountState endHold(
      AccountEvent event, HoldEnd end, long expectedBalance, List<GrantAmount> named) {
    Entry e = event.entry();
    Hold hold =
        hold(e.transactionId())
            .orElseThrow(() -> new IllegalStateException("no open hold for " + event));
    check(hold.amount() == e.amount(), "hold amount", event);
    check(
        e.balanceAfter() == expectedBalance && e.reservedAfter() == reserved - e.amount(),
        "hold end",
        event);
    check(named == null || named.equals(hold.earmarks()), "a capture spends its earmarks", event);
    TxRecord opened =
        transaction(e.transactionId())
            .orElseThrow(() -> new IllegalStateException("hold without record"));
    return with(
        e,
        holds.removed(e.transactionId()),
        transactions.updated(e.transactionId(), opened.ended(end, e.balanceAfter())),
        end == HoldEnd.CAPTURED
            ? grants.moved(hold.earmarks(), false, null)
            : grants.moved(hold.earmarks(), false, Boolean.FALSE));
  }

  private TransactionMemory remember(Entry e, String fingerprint) {
    return transactions.updated(
        e.transactionId(), new TxRecord(fingerprint, e.balanceAfter(), e.at(), null, 0));
  }

  private AccountState with(
      Entry e, HashMap<String, Hold> newHolds, TransactionMemory newTxs, Grants newGrants) {
    return new AccountState(
        e.balanceAfter(),
        e.reservedAfter(),
        newHolds,
        newTxs,
        forgotten,
        version + 1,
        newGrants,
        lowBalanceThreshold);
  }

  /** An empty persistent map; Scala's, as it ships with Pekko. */
  public static <V> HashMap<String, V> emptyMap() {
    return scala.collection.immutable.HashMap$.MODULE$.empty();
  }

  private static void check(boolean ok, String what, AccountEvent event) {
    if (!ok) {
      throw new IllegalStateException("account invariant broken (" + what + "): " + event);
    }
  }
}
