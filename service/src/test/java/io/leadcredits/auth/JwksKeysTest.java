package io.leadcredits.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import io.leadcredits.support.IdentityProviderStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The JWK set's cache: fetched once, again for an unknown key at most once per interval. */
class JwksKeysTest {
  private static final Duration interval = Duration.ofSeconds(30);

  @Test
  void unknownKeysFetchTheSetAtMostOncePerInterval() {
    AtomicLong nanos = new AtomicLong(1_000_000_000L);
    AtomicInteger changes = new AtomicInteger();
    try (IdentityProviderStub idp = new IdentityProviderStub()) {
      RSAKey first = IdentityProviderStub.rsa("k1");
      RSAKey second = IdentityProviderStub.rsa("k2");
      idp.publish(first);
      JwksKeys keys = new JwksKeys(idp.jwksUrl(), interval, nanos::get, changes::incrementAndGet);
      try {
        keys.begin();
        assertThat(keys.ready()).isTrue();
        int afterStart = idp.fetches();
        assertThat(keys.key("k1")).isNotNull();
        idp.publish(first, second);
        // A flood of unknown ids within the interval: not one more request to the provider.
        for (int i = 0; i < 100; i++) {
          assertThat(keys.key("made-up-" + i)).isNull();
        }
        assertThat(keys.key("k2")).isNull();
        assertThat(idp.fetches()).isEqualTo(afterStart);
        nanos.addAndGet(interval.toNanos());
        assertThat(keys.key("k2")).isNotNull();
        assertThat(idp.fetches()).isEqualTo(afterStart + 1);
        assertThat(keys.key("made-up")).isNull();
        assertThat(idp.fetches()).isEqualTo(afterStart + 1);
        assertThat(changes.get()).isEqualTo(2);
      } finally {
        keys.close();
      }
    }
  }

  @Test
  void aProviderDownKeepsTheKnownKeysAndOneNeverReachedIsNotReady() {
    AtomicLong nanos = new AtomicLong();
    try (IdentityProviderStub idp = new IdentityProviderStub()) {
      idp.publish(IdentityProviderStub.rsa("k1"));
      idp.failing(true);
      JwksKeys keys = new JwksKeys(idp.jwksUrl(), interval, nanos::get, () -> {});
      try {
        keys.begin();
        assertThat(keys.ready()).isFalse();
        assertThat(keys.key("k1")).isNull();
        idp.failing(false);
        nanos.addAndGet(interval.toNanos());
        assertThat(keys.key("k1")).isNotNull();
        assertThat(keys.ready()).isTrue();
        idp.failing(true);
        nanos.addAndGet(interval.toNanos());
        assertThat(keys.key("k9")).isNull(); // the fetch failed...
        assertThat(keys.key("k1")).isNotNull(); // ...and the known keys stay
      } finally {
        keys.close();
      }
    }
  }

  @Test
  void roleAndSubjectAreReadAtDottedPaths() {
    Map<String, Object> claims =
        Map.of(
            "sub", "ann",
            "role", "tradie",
            "realm_access", Map.of("roles", List.of("x", "leadcredits-tradie")),
            "https://market.example/roles", List.of("leadcredits-admin"),
            "both", List.of("leadcredits-tradie", "leadcredits-admin"));
    assertThat(ProviderTokens.role(ProviderTokens.at(claims, "role"))).isEqualTo(Role.TRADIE);
    assertThat(ProviderTokens.role(ProviderTokens.at(claims, "realm_access.roles")))
        .isEqualTo(Role.TRADIE);
    assertThat(ProviderTokens.role(ProviderTokens.at(claims, "https://market.example/roles")))
        .isEqualTo(Role.ADMIN);
    assertThat(ProviderTokens.role(ProviderTokens.at(claims, "both"))).isEqualTo(Role.ADMIN);
    assertThat(ProviderTokens.at(claims, "realm_access.nothing")).isNull();
    assertThat(ProviderTokens.at(claims, "sub.deeper")).isNull();
    assertThat(ProviderTokens.role("Admin")).isNull();
    assertThat(ProviderTokens.role(List.of("admin"))).isNull();
  }
}
