package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.JwtSecret;
import io.leadcredits.auth.Principal;
import io.leadcredits.auth.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AuthTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final Jwt jwt = new Jwt(JwtSecret.of("0123456789abcdef0123456789abcdef"), CLOCK);

  @Test
  void acceptsABearerTokenInAnyCaseOfTheScheme() {
    String token = jwt.issue("alice", Role.TRADIE, Duration.ofMinutes(5));

    assertThat(Auth.authenticate("Bearer " + token, jwt))
        .contains(new Principal("alice", Role.TRADIE));
    assertThat(Auth.authenticate("bearer " + token, jwt))
        .contains(new Principal("alice", Role.TRADIE));
  }

  @Test
  void refusesMissingMalformedForgedAndExpiredTokens() {
    String token = jwt.issue("alice", Role.TRADIE, Duration.ofMinutes(5));
    Jwt other = new Jwt(JwtSecret.of("another-secret-another-secret-xx"), CLOCK);
    Jwt later =
        new Jwt(
            JwtSecret.of("0123456789abcdef0123456789abcdef"),
            Clock.offset(CLOCK, Duration.ofMinutes(6)));

    assertThat(Auth.authenticate(null, jwt)).isEmpty();
    assertThat(Auth.authenticate("", jwt)).isEmpty();
    assertThat(Auth.authenticate("Bearer ", jwt)).isEmpty();
    assertThat(Auth.authenticate("Basic YWxpY2U6cHc=", jwt)).isEmpty();
    assertThat(Auth.authenticate(token, jwt)).isEmpty();
    assertThat(Auth.authenticate("Bearer not.a.jwt", jwt)).isEmpty();
    assertThat(
            Auth.authenticate(
                "Bearer " + other.issue("alice", Role.ADMIN, Duration.ofMinutes(5)), jwt))
        .isEmpty();
    assertThat(Auth.authenticate("Bearer " + token, later)).isEmpty();
  }

  @Test
  void adminsActOnAnyAccountTradiesOnlyOnTheirOwn() {
    Principal admin = new Principal("ops", Role.ADMIN);
    Principal alice = new Principal("alice", Role.TRADIE);

    assertThat(Auth.mayActOn(admin, "alice")).isTrue();
    assertThat(Auth.mayActOn(alice, "alice")).isTrue();
    assertThat(Auth.mayActOn(alice, "bob")).isFalse();
    assertThat(Auth.mayActOn(alice, "Alice")).isFalse();
  }
}
