package io.leadcredits.auth;

import java.util.Locale;
import java.util.Optional;

/** What a token's holder may do. Written in tokens as the lowercase {@code role} claim. */
public enum Role {
  /** The marketplace's operators: create leads, credit and debit any account, run the audit. */
  ADMIN,
  /** A tradesperson: claims leads and reads their own account. */
  TRADIE;

  /** The value of the {@code role} claim. */
  public String claimValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role a claim value names; exact lowercase only, so a token has one spelling per role. */
  public static Optional<Role> fromClaim(String value) {
    for (Role role : values()) {
      if (role.claimValue().equals(value)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
