package io.leadcredits.support;

import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.JwtSecret;
import io.leadcredits.auth.Role;
import io.leadcredits.testkit.Tokens;
import java.time.Clock;
import java.time.Duration;

/** Tokens signed as the service signs them ({@link Jwt}), for a test's client of a service. */
public final class JwtTokens {
  /** The subject of the admin's token. */
  public static final String ADMIN_SUBJECT = "ops";

  private static final Duration ttl = Duration.ofHours(2);

  private JwtTokens() {}

  /** Tokens for a service started with {@code secret}. */
  public static Tokens of(String secret) {
    return of(secret, new Jwt(JwtSecret.of(secret), Clock.systemUTC()));
  }

  /** Tokens {@code jwt} signs; {@code secret} is null when the service chose its own. */
  public static Tokens of(String secret, Jwt jwt) {
    return new Tokens(
        secret,
        ADMIN_SUBJECT,
        (subject, role) -> jwt.issue(subject, Role.fromClaim(role).orElseThrow(), ttl));
  }
}
