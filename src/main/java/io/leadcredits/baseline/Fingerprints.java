package io.leadcredits.baseline;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes two requests with one transaction id "the same request", in the actor engine's words
 * (its Account fingerprints), so a repeat is answered and another payload is a conflict in every
 * engine alike.
 */
final class Fingerprints {
  private Fingerprints() {}

  static String credit(long amount, Map<String, String> metadata) {
    return of("CREDIT", amount, "", metadata);
  }

  static String debit(long amount, Map<String, String> metadata) {
    return of("DEBIT", amount, "", metadata);
  }

  /** A reservation without a ttl (the default) differs from one that names the default. */
  static String reserve(long amount, Duration ttl, Map<String, String> metadata) {
    return of("RESERVE", amount, ttl == null ? "" : String.valueOf(ttl.toSeconds()), metadata);
  }

  private static String of(String type, long amount, String extra, Map<String, String> metadata) {
    return type + '|' + amount + '|' + extra + '|' + new TreeMap<>(metadata);
  }
}
