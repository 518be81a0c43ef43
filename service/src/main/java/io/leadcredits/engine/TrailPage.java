package io.leadcredits.engine;

import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.TransactionType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One page of an account's audit trail. {@code next} is the cursor for the following page (the
 * version of the last item), or null when this page reached the end.
 */
public record TrailPage(List<Item> items, Long next) {

  public TrailPage {
    items = List.copyOf(items);
  }

  /** A page read with {@code limit}: a full page may have more after it, a short one has not. */
  public static TrailPage of(List<Item> items, int limit) {
    return new TrailPage(
        items, items.size() == limit ? items.get(items.size() - 1).version() : null);
  }

  /** One change, of the kind {@code type}. */
  public record Item(
      long version,
      String transactionId,
      TransactionType type,
      long amount,
      long balanceBefore,
      long balanceAfter,
      long reservedBefore,
      long reservedAfter,
      Instant at,
      Map<String, String> metadata) {

    /** The trail item of an account event stored as the account's {@code version}-th change. */
    public static Item of(long version, AccountEvent event) {
      AccountEvent.Entry x = event.entry();
      return new Item(
          version,
          x.transactionId(),
          event.type(),
          x.amount(),
          x.balanceBefore(),
          x.balanceAfter(),
          x.reservedBefore(),
          x.reservedAfter(),
          x.at(),
          x.metadata());
    }
  }
}
