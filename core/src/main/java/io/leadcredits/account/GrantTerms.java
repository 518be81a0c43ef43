package io.leadcredits.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadcredits.Limits;
import java.time.Instant;
import java.util.Optional;

/**
 * What a top-up grants besides its amount: its category, when its remainder expires ({@code null}:
 * never), its priority (lower is spent first) and, for paid credits, what the tradie paid for them.
 * Stored in the top-up's event; a top-up stored before grants existed has none and belongs to the
 * account's {@linkplain Grant#LEGACY_ID legacy grant}.
 */
public record GrantTerms(
    GrantCategory category,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant expiresAt,
    int priority,
    @JsonInclude(JsonInclude.Include.NON_NULL) Price price) {

  /** A top-up that names none of the terms: paid, never expiring, the middle priority. */
  public static final GrantTerms DEFAULT =
      new GrantTerms(GrantCategory.PAID, null, Limits.grantPriorityDefault, null);

  public GrantTerms {
    category = category == null ? GrantCategory.PAID : category;
  }

  /** What the tradie paid for a paid grant, in the currency's minor unit (cents). */
  public record Price(long amountMinor, String currency) {}

  /** Why these terms cannot be granted at all (whatever the time); empty when they can. */
  public Optional<String> refusal() {
    if (priority < Limits.grantPriorityMin || priority > Limits.grantPriorityMax) {
      return Optional.of(
          "priority must be " + Limits.grantPriorityMin + ".." + Limits.grantPriorityMax);
    }
    if (price != null && category != GrantCategory.PAID) {
      return Optional.of("only a paid grant has a price");
    }
    if (price != null && (price.amountMinor() < 0 || !validCurrency(price.currency()))) {
      return Optional.of("price needs amountMinor >= 0 and a three-letter ISO 4217 currency");
    }
    return Optional.empty();
  }

  /** Why these terms cannot be granted at {@code now}: an expiry not ahead, or too far ahead. */
  public Optional<String> refusalAt(Instant now) {
    if (expiresAt == null) {
      return Optional.empty();
    }
    if (!expiresAt.isAfter(now)) {
      return Optional.of("expiresAt must be in the future");
    }
    if (expiresAt.isAfter(now.plus(Limits.grantLifetimeMax))) {
      return Optional.of(
          "expiresAt must be at most " + Limits.grantLifetimeMax.toDays() + " days ahead");
    }
    return Optional.empty();
  }

  private static boolean validCurrency(String currency) {
    return currency != null && currency.matches("[A-Z]{3}");
  }
}
