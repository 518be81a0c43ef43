package io.leadcredits;

import java.util.Locale;

/**
 * Which engine serves the API: the actor engine (the product), or one of the two baselines the
 * benchmark measures it against, behind the same routes.
 */
public enum EngineKind {
  /** Sharded event-sourced actors (the product). */
  ACTORS,
  /** One PostgreSQL transaction per request with SELECT … FOR UPDATE on the lead and account. */
  LOCKS,
  /** The strongest plain-SQL design: one round trip per request. */
  SQL;

  public static EngineKind parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid setting: engine must be actors, locks or sql: " + name);
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
