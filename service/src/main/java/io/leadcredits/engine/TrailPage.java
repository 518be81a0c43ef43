package io.leadcredits.engine;

import io.leadcredits.account.AccountEvent;
import io.leadcredits.account.GrantAmount;
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

  /**
   * One change, of the kind {@code type}. {@code grantId}: the grant a top-up made, expired or
   * voided; {@code grants}: what a debit, reservation or capture took from each grant (both null
   * where they do not apply, and in events stored before grants).
   */
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
      Map<String, String> metadata,
      String grantId,
      List<GrantAmount> grants) {

    public Item(
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
      this(
          version,
          transactionId,
          type,
          amount,
          balanceBefore,
          balanceAfter,
          reservedBefore,
          reservedAfter,
          at,
          metadata,
          null,
          null);
    }

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
          x.metadata(),
          grantIdOf(event),
          grantsOf(event));
    }

    private static String grantIdOf(AccountEvent event) {
      if (event instanceof AccountEvent.Credited c) {
        return c.grant() == null ? null : c.entry().transactionId();
      }
      if (event instanceof AccountEvent.GrantExpired x) {
        return x.grantId();
      }
      return event instanceof AccountEvent.GrantVoided v ? v.grantId() : null;
    }

    private static List<GrantAmount> grantsOf(AccountEvent event) {
      if (event instanceof AccountEvent.Debited d) {
        return d.grants();
      }
      if (event instanceof AccountEvent.Reserved r) {
        return r.grants();
      }
      if (event instanceof AccountEvent.Refunded r) {
        // What a refund gave back to each grant (its own id: the promotional grant it made).
        return r.grants().stream().map(p -> new GrantAmount(p.grantId(), p.amount())).toList();
      }
      return event instanceof AccountEvent.Captured c ? c.grants() : null;
    }
  }
}
