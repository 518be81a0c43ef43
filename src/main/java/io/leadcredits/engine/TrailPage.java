package io.leadcredits.engine;

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

  /** One change: {@code type} is CREDIT, DEBIT, RESERVE, CAPTURE, RELEASE or EXPIRE. */
  public record Item(
      long version,
      String transactionId,
      String type,
      long amount,
      long balanceBefore,
      long balanceAfter,
      long reservedBefore,
      long reservedAfter,
      Instant at,
      Map<String, String> metadata) {}
}
