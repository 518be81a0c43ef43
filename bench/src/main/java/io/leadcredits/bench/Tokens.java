package io.leadcredits.bench;

import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.JwtSecret;
import io.leadcredits.auth.Role;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens for the service under test. The benchmark picks a random secret, hands it to the
 * child as LEADCREDITS_JWT_SECRET and signs its own tokens with it; a tradie's token is signed
 * once, on first use, and reused.
 */
final class Tokens {
  /** Longer than any run, including the checks afterwards. */
  private static final Duration ttl = Duration.ofHours(12);

  private final String secret;
  private final Jwt jwt;
  private final String admin;
  private final ConcurrentHashMap<String, String> tradies = new ConcurrentHashMap<>();

  Tokens() {
    byte[] random = new byte[48];
    new SecureRandom().nextBytes(random);
    this.secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    this.jwt = new Jwt(JwtSecret.of(secret), Clock.systemUTC());
    this.admin = jwt.issue("bench-admin", Role.ADMIN, ttl);
  }

  String secret() {
    return secret;
  }

  String admin() {
    return admin;
  }

  String tradie(String accountId) {
    return tradies.computeIfAbsent(accountId, id -> jwt.issue(id, Role.TRADIE, ttl));
  }
}
