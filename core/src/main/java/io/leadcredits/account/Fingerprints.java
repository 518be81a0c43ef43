package io.leadcredits.account;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes two requests with one transaction id "the same request": a repeat with the same
 * fingerprint is answered, another payload is a conflict. Every engine uses these, so they behave
 * alike; the fingerprints are stored with the events, so the format must not change.
 */
public final class Fingerprints {
  private Fingerprints() {}

  public static String credit(long amount, Map<String, String> metadata) {
    return of("CREDIT", amount, "", metadata);
  }

  /** A top-up with the default terms has the fingerprint it had before grants existed. */
  public static String credit(long amount, GrantTerms terms, Map<String, String> metadata) {
    if (terms == null || terms.equals(GrantTerms.DEFAULT)) {
      return credit(amount, metadata);
    }
    String price =
        terms.price() == null ? "" : terms.price().amountMinor() + " " + terms.price().currency();
    String extra =
        terms.category().json()
            + ','
            + (terms.expiresAt() == null ? "" : terms.expiresAt().toString())
            + ','
            + terms.priority()
            + ','
            + price;
    return of("CREDIT", amount, extra, metadata);
  }

  public static String voidGrant(String grantId, String reason) {
    return of("VOID", 0, grantId + ',' + (reason == null ? "" : reason), Map.of());
  }

  public static String debit(long amount, Map<String, String> metadata) {
    return of("DEBIT", amount, "", metadata);
  }

  /** A reservation without a ttl (the default) differs from one that names the default. */
  public static String reserve(long amount, Duration ttl, Map<String, String> metadata) {
    return of("RESERVE", amount, ttl == null ? "" : String.valueOf(ttl.toSeconds()), metadata);
  }

  /** A refund: its amount and metadata (the grants it goes back to follow from the claim). */
  public static String refund(long amount, Map<String, String> metadata) {
    return of("REFUND", amount, "", metadata);
  }

  private static String of(String type, long amount, String extra, Map<String, String> metadata) {
    return type + '|' + amount + '|' + extra + '|' + new TreeMap<>(metadata);
  }
}
