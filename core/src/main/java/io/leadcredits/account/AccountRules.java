package io.leadcredits.account;

import io.leadcredits.Limits;
import io.leadcredits.Rejection;
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
import io.leadcredits.account.AccountState.Hold;
import io.leadcredits.account.AccountState.HoldEnd;
import io.leadcredits.account.AccountState.TxRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The account's rulebook: every decision of an account, from its state, the command's data, the
 * time and the bounds, and nothing else (no actor, no journal, no clock). Each operation is one
 * ladder of checks in the order of its rejections, then the line after which it succeeds. The
 * entity ({@link Account}) only wires it: batching, wake-ups, snapshots, metrics, replies.
 *
 * <p>{@code remembered} is what is known of the command's transaction id: from memory, or from the
 * journal for an id memory no longer has; the entity looks it up before asking.
 *
 * <p>Every accepted change first records the expiry of every hold due at {@code now}, so a hold
 * past its expiry never counts against {@code available}, whether or not its EXPIRE was recorded
 * yet. The same goes for grants: a grant past its expiry is expired first (its remainder never
 * pays, recorded or not), and what a hold gives back to a grant that expired or was voided
 * meanwhile is expired or voided right after the hold ends.
 *
 * <p>Debits and reservations take from the grants in spending order ({@link Grant#SPENDING_ORDER})
 * and their events name what they took; a capture spends exactly what its hold earmarked.
 */
public final class AccountRules {
  private AccountRules() {}

  /** The configured bounds the rules enforce. */
  public record Bounds(int holdsPerAccountMax, Duration holdTtlDefault, Duration holdTtlMax) {}

  /** What a command comes to. */
  public sealed interface Decision {}

  /**
   * Accepted: the events to write (none for a repeat, which is {@code replayed}) and the balance
   * right after the transaction, also for a repeat.
   */
  public record Accept(List<AccountEvent> events, long balanceAfter, boolean replayed)
      implements Decision {
    public Accept {
      events = List.copyOf(events);
    }
  }

  /** Refused: nothing changes. */
  public record Reject(Rejection reason, String detail) implements Decision {}

  /** The expiries due at a time, and when the next hold will be due after them. */
  public record Expiries(List<AccountEvent> events, AccountState after, Optional<Instant> next) {}

  public static Decision get(AccountState state, String accountId) {
    if (!state.exists()) {
      return new Reject(Rejection.NOT_FOUND, "no account " + accountId);
    }
    return new Accept(List.of(), state.balance(), false);
  }

  /** A top-up with the default terms: a paid, never-expiring grant of the middle priority. */
  public static Decision credit(
      AccountState state,
      Optional<TxRecord> remembered,
      String transactionId,
      long amount,
      Map<String, String> metadata,
      Instant now) {
    return credit(state, remembered, transactionId, amount, GrantTerms.DEFAULT, metadata, now);
  }

  /** A top-up: a grant of {@code amount} on {@code terms}, whose id is the transaction id. */
  public static Decision credit(
      AccountState state,
      Optional<TxRecord> remembered,
      String transactionId,
      long amount,
      GrantTerms terms,
      Map<String, String> metadata,
      Instant now) {
    if (amount < 1) {
      return new Reject(Rejection.INVALID_REQUEST, "amount must be positive");
    }
    Optional<String> badTerms = terms.refusal();
    if (badTerms.isPresent()) {
      return new Reject(Rejection.INVALID_REQUEST, badTerms.get());
    }
    String fingerprint = Fingerprints.credit(amount, terms, metadata);
    if (remembered.isPresent()) {
      return repeat(remembered.get(), transactionId, fingerprint);
    }
    Optional<String> badExpiry = terms.refusalAt(now);
    if (badExpiry.isPresent()) {
      return new Reject(Rejection.INVALID_REQUEST, badExpiry.get());
    }
    Folded f = expire(state, now);
    if (f.state().grants().get(transactionId).isPresent()) {
      // An id outlives the idempotency window as the id of its grant while that is live.
      return new Reject(
          Rejection.IDEMPOTENCY_CONFLICT,
          "transaction " + transactionId + " names a live grant; a top-up needs a new id");
    }
    long after;
    try {
      after = Math.addExact(f.state().balance(), amount);
    } catch (ArithmeticException overflow) {
      return new Reject(Rejection.INVALID_REQUEST, "the balance would exceed the largest amount");
    }
    if (f.state().grants().size() >= Limits.liveGrantsPerAccountMax) {
      return new Reject(
          Rejection.TOO_MANY_GRANTS,
          "an account has at most " + Limits.liveGrantsPerAccountMax + " live grants");
    }
    // From here the credit succeeds.
    Entry e = entry(f.state(), transactionId, amount, after, f.state().reserved(), now, metadata);
    return f.accept(new Credited(e, fingerprint, terms), now);
  }

  /**
   * A refund of {@code amount} for a claim whose debit took {@code spent} (in spending order): the
   * credit goes back to those grants, the last taken first, as an undo would. A part goes onto its
   * grant when that is live, or brings back a grant wholly spent since with its own terms; what
   * came from a grant that has expired or been voided since (or whose terms are not known) comes
   * back as one promotional grant, the refund's own (its id is the transaction id), expiring {@code
   * promotionalTtl} from now, since credit that had lapsed must not come back for ever.
   */
  public static Decision refund(
      AccountState state,
      Optional<TxRecord> remembered,
      String transactionId,
      long amount,
      List<SpentGrant> spent,
      Duration promotionalTtl,
      Map<String, String> metadata,
      Instant now) {
    if (amount < 1) {
      return new Reject(Rejection.INVALID_REQUEST, "amount must be positive");
    }
    long taken = 0;
    for (SpentGrant g : spent) {
      taken = Math.addExact(taken, g.amount());
    }
    if (amount > taken) {
      return new Reject(
          Rejection.INVALID_REQUEST, "a refund of " + amount + " exceeds the " + taken + " spent");
    }
    if (promotionalTtl.isNegative()
        || promotionalTtl.isZero()
        || promotionalTtl.compareTo(Limits.grantLifetimeMax) > 0) {
      return new Reject(Rejection.INVALID_REQUEST, "the refund credit's lifetime is out of range");
    }
    String fingerprint = Fingerprints.refund(amount, metadata);
    if (remembered.isPresent()) {
      return repeat(remembered.get(), transactionId, fingerprint);
    }
    Folded f = expire(state, now);
    if (f.state().grants().get(transactionId).isPresent()) {
      return new Reject(
          Rejection.IDEMPOTENCY_CONFLICT,
          "transaction " + transactionId + " names a live grant; a refund needs a new id");
    }
    long after;
    try {
      after = Math.addExact(f.state().balance(), amount);
    } catch (ArithmeticException overflow) {
      return new Reject(Rejection.INVALID_REQUEST, "the balance would exceed the largest amount");
    }
    List<RefundPart> parts =
        refundParts(f.state(), transactionId, amount, spent, promotionalTtl, now);
    long made = parts.stream().filter(p -> p.terms() != null).count();
    if (f.state().grants().size() + made > Limits.liveGrantsPerAccountMax) {
      return new Reject(
          Rejection.TOO_MANY_GRANTS,
          "an account has at most " + Limits.liveGrantsPerAccountMax + " live grants");
    }
    // From here the refund succeeds.
    Entry e = entry(f.state(), transactionId, amount, after, f.state().reserved(), now, metadata);
    return f.accept(new Refunded(e, fingerprint, parts), now);
  }

  /** Where each credit of a refund goes back to; see {@link #refund}. */
  private static List<RefundPart> refundParts(
      AccountState s,
      String transactionId,
      long amount,
      List<SpentGrant> spent,
      Duration promotionalTtl,
      Instant now) {
    List<RefundPart> parts = new ArrayList<>();
    long left = amount;
    long lapsed = 0;
    for (int i = spent.size() - 1; i >= 0 && left > 0; i--) {
      SpentGrant g = spent.get(i);
      long piece = Math.min(left, g.amount());
      left -= piece;
      Optional<Grant> live = s.grants().get(g.grantId());
      GrantTerms terms =
          g.terms() != null
              ? g.terms()
              : g.grantId().equals(Grant.LEGACY_ID) ? GrantTerms.DEFAULT : null;
      if (live.isPresent()) {
        boolean open = live.get().voidedBy() == null && !live.get().expiredAt(now);
        if (open) {
          parts.add(new RefundPart(g.grantId(), piece, null));
        } else {
          lapsed += piece;
        }
      } else if (terms != null && (terms.expiresAt() == null || terms.expiresAt().isAfter(now))) {
        parts.add(new RefundPart(g.grantId(), piece, terms));
      } else {
        lapsed += piece;
      }
    }
    if (lapsed > 0) {
      GrantTerms promotional =
          new GrantTerms(
              GrantCategory.PROMOTIONAL,
              now.plus(promotionalTtl),
              Limits.grantPriorityDefault,
              null);
      parts.add(new RefundPart(transactionId, lapsed, promotional));
    }
    return parts;
  }

  /**
   * Sets the low-balance threshold (0: off). Setting it is no fall of {@code available}, so it
   * announces nothing itself: with available already below the new threshold the alert is armed
   * once available is back at or above it. The threshold in force sent again changes nothing.
   */
  public static Decision setAlerts(AccountState state, long lowBalanceThreshold, Instant now) {
    if (lowBalanceThreshold < 0 || lowBalanceThreshold > Limits.amountCreditsMax) {
      return new Reject(
          Rejection.INVALID_REQUEST,
          "lowBalanceThreshold must be 0.." + Limits.amountCreditsMax + " (0: off)");
    }
    if (!state.exists()) {
      return new Reject(
          Rejection.NOT_FOUND, "no account; alerts are set on an account with credits");
    }
    if (state.lowBalanceThreshold() == lowBalanceThreshold) {
      return new Accept(List.of(), state.balance(), true);
    }
    // From here the setting changes.
    Folded f = expire(state, now);
    AccountState s = f.state();
    Entry e = entry(s, AlertsChanged.TRANSACTION_ID, 0, s.balance(), s.reserved(), now, Map.of());
    return f.accept(new AlertsChanged(e, lowBalanceThreshold), now);
  }

  /**
   * Voids what is left of a grant (a chargeback), once: a void repeated with its transaction id is
   * answered as the first; any other void of a grant already voided, expired or wholly spent or
   * held is refused. What its open holds earmarked is voided when they give it back.
   */
  public static Decision voidGrant(
      AccountState state,
      Optional<TxRecord> remembered,
      String transactionId,
      String grantId,
      String reason,
      Instant now) {
    if (reason != null && reason.length() > Limits.reasonLengthMax) {
      return new Reject(
          Rejection.INVALID_REQUEST, "reason must be at most " + Limits.reasonLengthMax + " long");
    }
    String fingerprint = Fingerprints.voidGrant(grantId, reason);
    if (remembered.isPresent()) {
      return repeat(remembered.get(), transactionId, fingerprint);
    }
    Folded f = expire(state, now);
    Optional<Grant> live = f.state().grants().get(grantId);
    if (live.isEmpty()) {
      return new Reject(Rejection.NOT_FOUND, "no live grant " + grantId);
    }
    Grant g = live.get();
    if (g.voidedBy() != null || g.remaining() == 0) {
      String why =
          g.voidedBy() != null
              ? "was already voided"
              : g.expiredAt(now) ? "has expired" : "has nothing left that is not held";
      return new Reject(Rejection.GRANT_NOT_ACTIVE, "grant " + grantId + " " + why);
    }
    // From here the void succeeds.
    AccountState s = f.state();
    Entry e =
        entry(
            s,
            transactionId,
            g.remaining(),
            s.balance() - g.remaining(),
            s.reserved(),
            now,
            Map.of());
    return f.accept(new GrantVoided(e, grantId, reason, fingerprint), now);
  }

  public static Decision debit(
      AccountState state,
      Optional<TxRecord> remembered,
      String transactionId,
      long amount,
      Map<String, String> metadata,
      Instant now) {
    if (amount < 1) {
      return new Reject(Rejection.INVALID_REQUEST, "amount must be positive");
    }
    String fingerprint = Fingerprints.debit(amount, metadata);
    if (remembered.isPresent()) {
      return repeat(remembered.get(), transactionId, fingerprint);
    }
    Folded f = expire(state, now);
    long available = f.state().availableAt(now);
    if (amount > available) {
      return new Reject(
          Rejection.INSUFFICIENT_CREDITS, "debit of " + amount + " exceeds available " + available);
    }
    // From here the debit succeeds.
    AccountState s = f.state();
    List<GrantAmount> taken = taken(s, amount, now);
    Entry e = entry(s, transactionId, amount, s.balance() - amount, s.reserved(), now, metadata);
    return f.accept(new Debited(e, fingerprint, taken), now);
  }

  /**
   * The first rung of a reservation, on its own because the entity checks it before waiting for the
   * hold's durable wake-up: a hold lives from one second to {@code holdTtlMax}.
   */
  public static Optional<Reject> ttlRefusal(Bounds bounds, Duration requestedTtl) {
    Duration ttl = requestedTtl == null ? bounds.holdTtlDefault() : requestedTtl;
    boolean allowed =
        ttl.compareTo(Limits.holdTtlMin) >= 0 && ttl.compareTo(bounds.holdTtlMax()) <= 0;
    return allowed
        ? Optional.empty()
        : Optional.of(
            new Reject(Rejection.INVALID_REQUEST, "ttl must be 1s.." + bounds.holdTtlMax()));
  }

  /**
   * A hold of {@code amount} for {@code requestedTtl} (null: the default); its id is the hold id.
   */
  public static Decision reserve(
      AccountState state,
      Bounds bounds,
      Optional<TxRecord> remembered,
      String holdId,
      long amount,
      Duration requestedTtl,
      Map<String, String> metadata,
      Instant now) {
    Optional<Reject> badTtl = ttlRefusal(bounds, requestedTtl);
    if (badTtl.isPresent()) {
      return badTtl.get();
    }
    if (amount < 1) {
      return new Reject(Rejection.INVALID_REQUEST, "amount must be positive");
    }
    String fingerprint = Fingerprints.reserve(amount, requestedTtl, metadata);
    if (remembered.isPresent()) {
      return repeat(remembered.get(), holdId, fingerprint);
    }
    Folded f = expire(state, now);
    if (f.state().holds().size() >= bounds.holdsPerAccountMax()) {
      return new Reject(
          Rejection.TOO_MANY_HOLDS,
          "an account holds at most " + bounds.holdsPerAccountMax() + " reservations");
    }
    long available = f.state().availableAt(now);
    if (amount > available) {
      return new Reject(
          Rejection.INSUFFICIENT_CREDITS,
          "reservation of " + amount + " exceeds available " + available);
    }
    // From here the reservation succeeds.
    AccountState s = f.state();
    Duration ttl = requestedTtl == null ? bounds.holdTtlDefault() : requestedTtl;
    List<GrantAmount> earmarks = taken(s, amount, now);
    Entry e = entry(s, holdId, amount, s.balance(), s.reserved() + amount, now, metadata);
    return f.accept(new Reserved(e, fingerprint, now.plus(ttl), earmarks), now);
  }

  /**
   * Capture (the hold becomes a debit, in one step) or release: ends an open hold exactly once. A
   * repeat of the same end is answered as the first; a release of a hold that expired meanwhile
   * succeeds (the credits are free either way); any other end of an ended hold is refused.
   */
  public static Decision endHold(
      AccountState state, Optional<TxRecord> remembered, String holdId, HoldEnd end, Instant now) {
    boolean wasOpen = state.hold(holdId).isPresent();
    Folded f = expire(state, now);
    Optional<Hold> open = f.state().hold(holdId);
    if (open.isEmpty()) {
      // The hold expired just now, or ended before: what ended it is in the record.
      Optional<TxRecord> record = wasOpen ? f.state().transaction(holdId) : remembered;
      if (record.isEmpty() || record.get().holdEnd() == null) {
        return new Reject(Rejection.NOT_FOUND, "no reservation " + holdId);
      }
      HoldEnd was = record.get().holdEnd();
      boolean sameEnd = was == end || (end == HoldEnd.RELEASED && was == HoldEnd.EXPIRED);
      if (!sameEnd) {
        return new Reject(
            Rejection.HOLD_NOT_ACTIVE,
            "reservation " + holdId + " was already " + was.name().toLowerCase());
      }
      long balanceAfter = record.get().endBalanceAfter();
      return new Accept(wasOpen ? f.events() : List.of(), balanceAfter, !wasOpen);
    }
    // From here the hold ends.
    Hold h = open.get();
    AccountState s = f.state();
    long balanceAfter = end == HoldEnd.CAPTURED ? s.balance() - h.amount() : s.balance();
    Entry e = entry(s, holdId, h.amount(), balanceAfter, s.reserved() - h.amount(), now, Map.of());
    return f.accept(end == HoldEnd.CAPTURED ? new Captured(e, h.earmarks()) : new Released(e), now);
  }

  /** What {@code amount} takes from the grants of a state with nothing due: all is there. */
  private static List<GrantAmount> taken(AccountState s, long amount, Instant now) {
    List<GrantAmount> taken = s.grants().allocate(amount, now);
    if (taken == null) {
      throw new IllegalStateException("available credits are not in the grants: " + s.grants());
    }
    return taken;
  }

  /**
   * The expiry of every hold and grant due at {@code now}, earliest first, and the next one due
   * after.
   */
  public static Expiries expiries(AccountState state, Instant now) {
    Folded f = expire(state, now);
    return new Expiries(f.events(), f.state(), f.state().nextExpiry());
  }

  /** A repeat of a transaction: its first answer, unless the request differs. */
  private static Decision repeat(TxRecord seen, String transactionId, String fingerprint) {
    if (!seen.fingerprint().equals(fingerprint)) {
      return new Reject(
          Rejection.IDEMPOTENCY_CONFLICT,
          "transaction " + transactionId + " was used with another request");
    }
    return new Accept(List.of(), seen.balanceAfter(), true);
  }

  /** The state after recording the expiry of every hold due, and those events. */
  private record Folded(AccountState state, List<AccountEvent> events) {
    Folded add(AccountEvent e) {
      List<AccountEvent> all = new ArrayList<>(events);
      all.add(e);
      return new Folded(state.apply(e), all);
    }

    /**
     * Accepts the command whose event is {@code e}, written after the expiries and before what its
     * end of a hold gave back to a grant that expired or was voided meanwhile.
     */
    Accept accept(AccountEvent e, Instant now) {
      Folded f = add(e);
      for (Grant g = f.state().grants().firstDue(now);
          g != null;
          g = f.state().grants().firstDue(now)) {
        f = f.add(remainderGone(f.state(), g, now));
      }
      return new Accept(f.events(), e.entry().balanceAfter(), false);
    }
  }

  /**
   * Every hold and grant due at {@code now}, in the order they fell due: a hold's expiry at its
   * {@code expiresAt}, a grant's at its own (never before, so credits are only ever expired by
   * their own grant's terms), or when a hold gave back part of a grant already expired.
   */
  private static Folded expire(AccountState state, Instant now) {
    Folded f = new Folded(state, List.of());
    List<Hold> holds = state.dueHolds(now);
    int next = 0;
    Instant last = null;
    while (true) {
      Grant g = f.state().grants().firstDue(now);
      Hold h = next < holds.size() ? holds.get(next) : null;
      if (g == null && h == null) {
        return f;
      }
      boolean grantFirst =
          g != null && (h == null || g.voidedBy() != null || !g.expiresAt().isAfter(h.expiresAt()));
      AccountState s = f.state();
      if (grantFirst) {
        // Never before the event it follows: a hold may have given this back after the expiry.
        Instant due = g.voidedBy() != null ? now : g.expiresAt();
        Instant at = last != null && last.isAfter(due) ? last : due;
        if (g.voidedBy() != null && last != null) {
          at = last;
        }
        last = at;
        f = f.add(remainderGone(s, g, at));
      } else {
        Entry e =
            entry(
                s,
                h.holdId(),
                h.amount(),
                s.balance(),
                s.reserved() - h.amount(),
                h.expiresAt(),
                Map.of());
        last = h.expiresAt();
        next++;
        f = f.add(new Expired(e));
      }
    }
  }

  /** The event that takes a due grant's remainder away at {@code at}: its expiry or its void. */
  private static AccountEvent remainderGone(AccountState s, Grant g, Instant at) {
    String txId = g.voidedBy() != null ? g.voidedBy() : g.grantId();
    Entry e =
        entry(s, txId, g.remaining(), s.balance() - g.remaining(), s.reserved(), at, Map.of());
    return g.voidedBy() != null
        ? new GrantVoided(e, g.grantId(), null, null)
        : new GrantExpired(e, g.grantId());
  }

  private static Entry entry(
      AccountState s,
      String txId,
      long amount,
      long balanceAfter,
      long reservedAfter,
      Instant at,
      Map<String, String> metadata) {
    Long lowBalance =
        Entry.crossing(
            s.lowBalanceThreshold(), s.balance() - s.reserved(), balanceAfter - reservedAfter);
    return new Entry(
        txId,
        amount,
        s.balance(),
        balanceAfter,
        s.reserved(),
        reservedAfter,
        at,
        metadata,
        lowBalance);
  }
}
