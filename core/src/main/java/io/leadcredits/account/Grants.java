package io.leadcredits.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import scala.Option;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.collection.immutable.HashMap;
import scala.collection.immutable.TreeMap;
import scala.collection.immutable.TreeMap$;
import scala.math.Ordering;

/**
 * An account's live grants: persistent maps (Scala's, as the holds are), so a change costs a few
 * nodes whatever the number of grants, and a debit reads the first one or two in spending order. An
 * account usually has a handful; one topped up thousands of times without spending (a probe, a
 * test) must not make every command copy them all. Three views of the same grants: by spending
 * order, by id, and those with a remainder that expires, by expiry (so a command tells "nothing
 * due" from the first of them). The balance by category is kept as two sums. Snapshots store it as
 * the list of grants in spending order.
 */
@JsonAutoDetect(
    fieldVisibility = JsonAutoDetect.Visibility.NONE,
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class Grants {
  private static final Ordering<Grant> SPENDING =
      scala.math.Ordering$.MODULE$.comparatorToOrdering(Grant.SPENDING_ORDER);

  /** Soonest expiry first, then spending order: the order remainders fall due in. */
  private static final Ordering<Grant> EXPIRY =
      scala.math.Ordering$.MODULE$.comparatorToOrdering(
          Comparator.comparing(Grant::expiresAt).thenComparing(Grant.SPENDING_ORDER));

  private static final Grants EMPTY =
      new Grants(
          TreeMap$.MODULE$.<Grant, Grant>empty(SPENDING),
          AccountState.<Grant>emptyMap(),
          TreeMap$.MODULE$.<Grant, Grant>empty(EXPIRY),
          AccountState.<Grant>emptyMap(),
          0,
          0);

  // Keyed by a version of the grant: the fields an order reads never change.
  private final TreeMap<Grant, Grant> inOrder;
  private final HashMap<String, Grant> byId;
  private final TreeMap<Grant, Grant> expiring; // remaining > 0, expiresAt set, not voided
  private final HashMap<String, Grant> voidedDue; // voided with a remainder still to take
  private final long paid;
  private final long promotional;

  private Grants(
      TreeMap<Grant, Grant> inOrder,
      HashMap<String, Grant> byId,
      TreeMap<Grant, Grant> expiring,
      HashMap<String, Grant> voidedDue,
      long paid,
      long promotional) {
    this.inOrder = inOrder;
    this.byId = byId;
    this.expiring = expiring;
    this.voidedDue = voidedDue;
    this.paid = paid;
    this.promotional = promotional;
  }

  public static Grants empty() {
    return EMPTY;
  }

  /** An account from before grants: what it has is one legacy grant. */
  static Grants legacy(long remaining, long earmarked) {
    return remaining + earmarked == 0 ? EMPTY : EMPTY.with(Grant.legacy(remaining, earmarked));
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Grants of(List<Grant> grants) {
    Grants all = EMPTY;
    for (Grant g : grants) {
      all = all.with(g);
    }
    return all;
  }

  /** The live grants in spending order. */
  @JsonValue
  public List<Grant> list() {
    List<Grant> list = new ArrayList<>(byId.size());
    Iterator<Grant> it = inOrder.valuesIterator();
    while (it.hasNext()) {
      list.add(it.next());
    }
    return Collections.unmodifiableList(list);
  }

  /** The first {@code max} live grants in spending order. */
  public List<Grant> first(int max) {
    List<Grant> list = new ArrayList<>(Math.min(max, byId.size()));
    Iterator<Grant> it = inOrder.valuesIterator();
    while (list.size() < max && it.hasNext()) {
      list.add(it.next());
    }
    return list;
  }

  public int size() {
    return byId.size();
  }

  public Optional<Grant> get(String grantId) {
    Option<Grant> found = byId.get(grantId);
    return found.isDefined() ? Optional.of(found.get()) : Optional.empty();
  }

  /** Σ remaining + earmarked of the grants of {@code category}. */
  public long total(GrantCategory category) {
    return category == GrantCategory.PAID ? paid : promotional;
  }

  /** When the next remainder expires, if any. */
  public Optional<Instant> nextDue() {
    Option<Tuple2<Grant, Grant>> first = expiring.headOption();
    return first.isDefined() ? Optional.of(first.get()._2().expiresAt()) : Optional.empty();
  }

  /**
   * The grant whose remainder is to go first at {@code now}: a voided one (what a hold gave back to
   * it), else the soonest expired; null if none.
   */
  Grant firstDue(Instant now) {
    if (!voidedDue.isEmpty()) {
      Grant first = null;
      Iterator<Grant> it = voidedDue.valuesIterator();
      while (it.hasNext()) {
        Grant g = it.next();
        if (first == null || Grant.SPENDING_ORDER.compare(g, first) < 0) {
          first = g;
        }
      }
      return first;
    }
    Option<Tuple2<Grant, Grant>> head = expiring.headOption();
    if (head.isEmpty() || head.get()._2().expiresAt().isAfter(now)) {
      return null;
    }
    return head.get()._2();
  }

  /**
   * {@code amount} taken from the remainders in spending order, skipping what may no longer be
   * spent at {@code now} (null: whatever the time, as events stored before grants are folded); null
   * when they do not add up to it.
   */
  public List<GrantAmount> allocate(long amount, Instant now) {
    List<GrantAmount> taken = new ArrayList<>(2);
    long left = amount;
    Iterator<Grant> it = inOrder.valuesIterator();
    while (left > 0 && it.hasNext()) {
      Grant g = it.next();
      if (g.remaining() > 0 && g.voidedBy() == null && (now == null || !g.expiredAt(now))) {
        long take = Math.min(left, g.remaining());
        taken.add(new GrantAmount(g.grantId(), take));
        left -= take;
      }
    }
    return left == 0 ? taken : null;
  }

  /** With {@code grant} added or, if it is there, replaced; an ended grant leaves. */
  Grants with(Grant grant) {
    Option<Grant> old = byId.get(grant.grantId());
    if (old.isEmpty()) {
      return grant.live() ? plus(grant) : this;
    }
    return grant.live() ? replaced(old.get(), grant) : without(old.get());
  }

  /**
   * A live grant changed in place (the hot path: every debit of a busy account): its place in each
   * order is the same, since the fields an order reads never change, so each map is updated once.
   */
  private Grants replaced(Grant old, Grant g) {
    long delta =
        Math.subtractExact(
            Math.addExact(g.remaining(), g.earmarked()), old.remaining() + old.earmarked());
    TreeMap<Grant, Grant> nextExpiring = expiring;
    if (expires(g)) {
      nextExpiring = expiring.updated(g, g);
    } else if (expires(old)) {
      nextExpiring = expiring.removed(old);
    }
    HashMap<String, Grant> nextVoided = voidedDue;
    if (voidedWithRemainder(g)) {
      nextVoided = voidedDue.updated(g.grantId(), g);
    } else if (voidedWithRemainder(old)) {
      nextVoided = voidedDue.removed(g.grantId());
    }
    boolean isPaid = g.category() == GrantCategory.PAID;
    return new Grants(
        inOrder.updated(g, g),
        byId.updated(g.grantId(), g),
        nextExpiring,
        nextVoided,
        isPaid ? Math.addExact(paid, delta) : paid,
        isPaid ? promotional : Math.addExact(promotional, delta));
  }

  private static boolean expires(Grant g) {
    return g.remaining() > 0 && g.expiresAt() != null && g.voidedBy() == null;
  }

  private static boolean voidedWithRemainder(Grant g) {
    return g.remaining() > 0 && g.voidedBy() != null;
  }

  /**
   * Each amount moved on its grant: {@code fromRemaining} says which counter loses it (else
   * earmarked), {@code toEarmarked} which gains it (null: none, the credits leave). Throws when a
   * grant is missing or would go negative.
   */
  Grants moved(List<GrantAmount> amounts, boolean fromRemaining, Boolean toEarmarked) {
    Grants next = this;
    for (GrantAmount a : amounts) {
      Option<Grant> found = next.byId.get(a.grantId());
      if (found.isEmpty() || a.amount() < 1) {
        throw new IllegalStateException("no live grant " + a.grantId() + " for " + a.amount());
      }
      Grant g = found.get();
      long remaining = g.remaining();
      long earmarked = g.earmarked();
      if (fromRemaining) {
        remaining = Math.subtractExact(remaining, a.amount());
      } else {
        earmarked = Math.subtractExact(earmarked, a.amount());
      }
      if (Boolean.TRUE.equals(toEarmarked)) {
        earmarked = Math.addExact(earmarked, a.amount());
      } else if (Boolean.FALSE.equals(toEarmarked)) {
        remaining = Math.addExact(remaining, a.amount());
      }
      if (remaining < 0 || earmarked < 0) {
        throw new IllegalStateException("grant " + a.grantId() + " would go negative");
      }
      next = next.with(g.withAmounts(remaining, earmarked));
    }
    return next;
  }

  private Grants without(Grant g) {
    long total = g.remaining() + g.earmarked();
    return new Grants(
        inOrder.removed(g),
        byId.removed(g.grantId()),
        expires(g) ? expiring.removed(g) : expiring,
        voidedWithRemainder(g) ? voidedDue.removed(g.grantId()) : voidedDue,
        g.category() == GrantCategory.PAID ? paid - total : paid,
        g.category() == GrantCategory.PROMOTIONAL ? promotional - total : promotional);
  }

  private Grants plus(Grant g) {
    long total = Math.addExact(g.remaining(), g.earmarked());
    return new Grants(
        inOrder.updated(g, g),
        byId.updated(g.grantId(), g),
        expires(g) ? expiring.updated(g, g) : expiring,
        voidedWithRemainder(g) ? voidedDue.updated(g.grantId(), g) : voidedDue,
        g.category() == GrantCategory.PAID ? Math.addExact(paid, total) : paid,
        g.category() == GrantCategory.PROMOTIONAL
            ? Math.addExact(promotional, total)
            : promotional);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Grants other && byId.equals(other.byId);
  }

  @Override
  public int hashCode() {
    return byId.hashCode();
  }

  @Override
  public String toString() {
    return list().toString();
  }
}
