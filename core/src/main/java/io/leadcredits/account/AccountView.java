package io.leadcredits.account;

import java.time.Instant;
import java.util.List;

/** An account as clients see it at one instant; expired holds are already left out. */
public record AccountView(
    String accountId,
    long balance,
    long reserved,
    long available,
    List<HoldView> holds,
    long version) {

  public AccountView {
    holds = List.copyOf(holds);
  }

  public record HoldView(String holdId, long amount, Instant expiresAt) {}
}
