package io.leadcredits.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An account's statement for {@code [from, to)}: the balance before the first entry and after the
 * last, the amounts by type, the closing balance by grant category ({@code paid}, {@code
 * promotional}), and the entries, oldest first. {@code openingBalance} plus the sum of the entries'
 * {@code balanceChange} is {@code closingBalance}.
 */
public record Statement(
    String accountId,
    Instant from,
    Instant to,
    long openingBalance,
    long closingBalance,
    Map<String, Long> totals,
    Map<String, Long> byCategory,
    List<Entry> entries) {

  /** One entry: a trail item with its version and what it did to the balance. */
  public record Entry(
      long version,
      String transactionId,
      String type,
      long amount,
      long balanceChange,
      long balanceBefore,
      long balanceAfter,
      long reservedBefore,
      long reservedAfter,
      Instant at,
      Map<String, Object> metadata,
      String grantId,
      List<GrantAmount> grants) {}

  /** What an entry took from one grant. */
  public record GrantAmount(String grantId, long amount) {}
}
