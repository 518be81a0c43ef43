package io.leadcredits.account;

import java.time.Instant;
import java.util.List;

/**
 * An account as clients see it at one instant; expired holds and expired grants are already left
 * out. {@code grants}: the first of its live grants in spending order and its balance by category;
 * null from an engine without grants (the baselines). {@code lowBalanceThreshold}: below it a fall
 * of {@code available} is announced ({@code balance.low}); 0 is off.
 */
public record AccountView(
    String accountId,
    long balance,
    long reserved,
    long available,
    List<HoldView> holds,
    long version,
    GrantsView grants,
    long lowBalanceThreshold) {

  public AccountView {
    holds = List.copyOf(holds);
  }

  public AccountView(
      String accountId,
      long balance,
      long reserved,
      long available,
      List<HoldView> holds,
      long version,
      GrantsView grants) {
    this(accountId, balance, reserved, available, holds, version, grants, 0);
  }

  public AccountView(
      String accountId,
      long balance,
      long reserved,
      long available,
      List<HoldView> holds,
      long version) {
    this(accountId, balance, reserved, available, holds, version, null, 0);
  }

  public record HoldView(String holdId, long amount, Instant expiresAt) {}

  /**
   * The first {@link io.leadcredits.Limits#grantsInViewMax} live grants in spending order (every
   * reply of a write shares one view, and a reply may cross the cluster: it must not grow with an
   * account topped up thousands of times), how many are live, and the balance by category.
   */
  public record GrantsView(List<Grant> first, int live, long paid, long promotional) {
    public GrantsView {
      first = List.copyOf(first);
    }

    public static GrantsView of(Grants grants) {
      return new GrantsView(
          grants.first(io.leadcredits.Limits.grantsInViewMax),
          grants.size(),
          grants.total(GrantCategory.PAID),
          grants.total(GrantCategory.PROMOTIONAL));
    }
  }
}
