package io.leadcredits.engine;

import io.leadcredits.Limits;
import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.AccountState;
import io.leadcredits.account.GrantCategory;
import io.leadcredits.account.TransactionType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An account's statement for a period {@code [from, to)}: the trail's entries booked in it (as
 * {@link TrailPage.Item}s, read from the journal as the trail is), the balance before the first and
 * after the last, the amounts by type, and the closing balance by grant category. Opening balance
 * plus each entry's change of the balance ({@code balanceAfter - balanceBefore}) is the closing
 * balance, because the entries are an unbroken run of the trail.
 *
 * <p>An entry is booked when it was recorded: at its own {@code at}, except that an expiry recorded
 * after a later-dated change (a hold's or a grant's, dated at its due time) is booked with that
 * change, since it was written after it. So the periods split the trail into runs, never skipping
 * or repeating an entry, and consecutive periods chain ({@code to} of one is {@code from} of the
 * next). Settings that move no credits ({@code ALERTS_CHANGED}) are not entries of a statement.
 * {@code complete} is false when the period holds more than {@link Limits#statementEntriesMax}
 * entries: the caller asks for a shorter one.
 */
public record Statement(
    String accountId,
    Instant from,
    Instant to,
    long openingBalance,
    long closingBalance,
    Map<TransactionType, Long> totals,
    long paid,
    long promotional,
    List<TrailPage.Item> entries,
    boolean complete) {

  public Statement {
    totals = Map.copyOf(totals);
    entries = List.copyOf(entries);
  }

  /**
   * Folds an account's events in journal order, from its first, into the statement of a period.
   * Memory is bounded: the fold keeps as many transaction ids as an account does, and at most
   * {@link Limits#statementEntriesMax} entries.
   */
  public static final class Builder {
    private final String accountId;
    private final Instant from;
    private final Instant to;
    private AccountState state = AccountState.empty();
    private Instant booked;
    private long opening;
    private final List<TrailPage.Item> entries = new ArrayList<>();
    private final Map<TransactionType, Long> totals = new EnumMap<>(TransactionType.class);
    private boolean complete = true;
    private boolean any;

    public Builder(String accountId, Instant from, Instant to) {
      this.accountId = accountId;
      this.from = from;
      this.to = to;
    }

    /** The account's {@code version}-th event. Returns this. */
    public Builder accept(long version, AccountEvent event) {
      any = true;
      Instant at = event.entry().at();
      booked = booked == null || at.isAfter(booked) ? at : booked;
      if (!booked.isBefore(to)) {
        return this; // booked times never go back: nothing after this is in the period
      }
      state = state.apply(event);
      if (state.transactions().size() > Limits.transactionsInMemoryDefault) {
        state = state.keepingInMemory(Limits.transactionsInMemoryDefault);
      }
      if (booked.isBefore(from)) {
        opening = state.balance();
        return this;
      }
      if (event.type() == TransactionType.ALERTS_CHANGED) {
        return this;
      }
      if (entries.size() == Limits.statementEntriesMax) {
        complete = false;
        return this;
      }
      entries.add(TrailPage.Item.of(version, event));
      totals.merge(event.type(), event.entry().amount(), Math::addExact);
      return this;
    }

    /** Whether the account has any event at all. */
    public boolean exists() {
      return any;
    }

    public Statement build() {
      return new Statement(
          accountId,
          from,
          to,
          opening,
          state.balance(),
          totals,
          state.grants().total(GrantCategory.PAID),
          state.grants().total(GrantCategory.PROMOTIONAL),
          entries,
          complete);
    }
  }
}
