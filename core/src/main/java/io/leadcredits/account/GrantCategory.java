package io.leadcredits.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * What a grant's credits are: bought ({@code paid}, a liability until spent) or given ({@code
 * promotional}: sign-up bonuses, goodwill). The JSON names are stable: they are in the journal.
 */
public enum GrantCategory {
  PAID,
  PROMOTIONAL;

  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static GrantCategory fromJson(String name) {
    return parse(name).orElseThrow(() -> new IllegalArgumentException("no category " + name));
  }

  /** The category a client named; empty for anything else. */
  public static Optional<GrantCategory> parse(String name) {
    for (GrantCategory c : values()) {
      if (c.json().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
