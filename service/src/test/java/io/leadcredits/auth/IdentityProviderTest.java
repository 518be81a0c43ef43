package io.leadcredits.auth;

import static io.leadcredits.support.IdentityProviderStub.claims;
import static io.leadcredits.support.IdentityProviderStub.signEdDsa;
import static io.leadcredits.support.IdentityProviderStub.signEs256;
import static io.leadcredits.support.IdentityProviderStub.signRs256;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.leadcredits.EngineKind;
import io.leadcredits.support.Await;
import io.leadcredits.support.IdentityProviderStub;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in with the marketplace's identity provider, against a JWK set this test serves: RS256,
 * ES256 and EdDSA tokens of its keys are accepted with the role at a Keycloak-style claim path;
 * every forged, foreign, stale or unsigned token is 401 UNAUTHENTICATED (never a 5xx); a valid
 * token without our roles is 403; rotation, removal and an outage of the provider behave as an
 * integrator expects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityProviderTest {
  private static final String ROLES = "realm_access.roles";

  private IdentityProviderStub idp;
  private RunningService service;
  private RSAKey rsa;
  private ECKey ec;
  private IdentityProviderStub.Ed25519 ed;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    idp = new IdentityProviderStub();
    rsa = IdentityProviderStub.rsa("rsa-1");
    ec = IdentityProviderStub.ec("ec-1");
    ed = IdentityProviderStub.ed25519("ed-1");
    idp.publish(rsa, ec, ed.jwk());
    service = new RunningService(dataDir, EngineKind.ACTORS, idp.settings(ROLES));
    Await.until(
        Duration.ofSeconds(60),
        "the service is ready",
        () -> service.send("GET", "/health/ready", null, null).status() == 200);
    assertThat(service.credit("ann", 50, "t-ann").status()).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    service.close();
    idp.close();
  }

  private static JWTClaimsSet tradie(String subject) {
    return claims(subject)
        .claim("realm_access", Map.of("roles", List.of("leadcredits-tradie")))
        .build();
  }

  private static JWTClaimsSet admin(String subject) {
    return claims(subject)
        .claim("realm_access", Map.of("roles", List.of("offline_access", "leadcredits-admin")))
        .build();
  }

  private Reply ownBalance(String token) {
    return service.send("GET", "/api/credits/balance", token, null);
  }

  private void assertUnauthenticated(String token, String what) {
    Reply reply = ownBalance(token);
    assertThat(reply.status()).as(what + ": " + reply.body()).isEqualTo(401);
    assertThat(reply.body().get("code").asText()).isEqualTo("UNAUTHENTICATED");
  }

  @Test
  void tokensOfEachAlgorithmOfTheKeySetAreAccepted() {
    for (String token :
        List.of(
            signRs256(rsa, tradie("ann")),
            signEs256(ec, tradie("ann")),
            signEdDsa(ed, tradie("ann")))) {
      Reply reply = ownBalance(token);
      assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
      assertThat(reply.body().get("balance").asLong()).isEqualTo(50);
    }
    Reply asAdmin = service.send("GET", "/api/accounts/ann", signEs256(ec, admin("ops")), null);
    assertThat(asAdmin.status()).isEqualTo(200);
    // A tradie of the provider is still only themselves.
    Reply other = service.send("GET", "/api/accounts/ann", signRs256(rsa, tradie("bob")), null);
    assertThat(other.status()).isEqualTo(403);
  }

  @Test
  void aValidTokenWithoutOurRolesIsForbidden() {
    JWTClaimsSet none =
        claims("ann").claim("realm_access", Map.of("roles", List.of("offline_access"))).build();
    Reply reply = ownBalance(signRs256(rsa, none));
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.body().get("code").asText()).isEqualTo("FORBIDDEN");
    assertThat(ownBalance(signRs256(rsa, claims("ann").build())).status()).isEqualTo(403);
  }

  @Test
  void forgedForeignAndStaleTokensAreUnauthenticated() {
    Instant now = Instant.now();
    assertUnauthenticated(
        signRs256(rsa, new JWTClaimsSet.Builder(tradie("ann")).issuer("https://other").build()),
        "wrong issuer");
    assertUnauthenticated(
        signRs256(rsa, new JWTClaimsSet.Builder(tradie("ann")).audience("other-api").build()),
        "wrong audience");
    assertUnauthenticated(
        signEs256(
            ec,
            new JWTClaimsSet.Builder(tradie("ann"))
                .issueTime(Date.from(now.minusSeconds(7200)))
                .notBeforeTime(Date.from(now.minusSeconds(7200)))
                .expirationTime(Date.from(now.minusSeconds(3600)))
                .build()),
        "expired");
    assertUnauthenticated(
        signEdDsa(
            ed,
            new JWTClaimsSet.Builder(tradie("ann"))
                .notBeforeTime(Date.from(now.plusSeconds(3600)))
                .expirationTime(Date.from(now.plusSeconds(7200)))
                .build()),
        "not yet valid");
    assertUnauthenticated(
        signRs256(rsa, new JWTClaimsSet.Builder(tradie("ann")).expirationTime(null).build()),
        "without expiry");
    assertUnauthenticated(IdentityProviderStub.unsigned("rsa-1", tradie("ann")), "alg none");
    assertUnauthenticated(
        IdentityProviderStub.signHs256WithPublicKey(rsa, tradie("ann")),
        "HS256 signed with the public key");
    assertUnauthenticated(
        signRs256(IdentityProviderStub.rsa("never-published"), tradie("ann")), "unknown kid");
    // A key of the set signing as another kind of key, and a signature of another key.
    RSAKey impostor = new RSAKey.Builder(IdentityProviderStub.rsa("x")).keyID("rsa-1").build();
    assertUnauthenticated(signRs256(impostor, tradie("ann")), "signed by another key");
    assertUnauthenticated(
        signRs256(rsa, new JWTClaimsSet.Builder(tradie("no/such id")).build()), "bad subject");
    assertUnauthenticated("a.b.c", "garbage");
  }

  /**
   * The provider rotates: a token of a new key is accepted at once (its unknown kid fetches the
   * set), and the key it dropped no longer signs anything, even a token accepted before.
   */
  @Test
  void rotationPicksUpNewKeysAndDropsRemovedOnes() {
    RSAKey old = IdentityProviderStub.rsa("rot-old");
    RSAKey next = IdentityProviderStub.rsa("rot-new");
    idp.publish(rsa, ec, ed.jwk(), old);
    String before = signRs256(old, tradie("ann"));
    assertThat(ownBalance(before).status()).isEqualTo(200);
    idp.publish(rsa, ec, ed.jwk(), next);
    assertThat(ownBalance(signRs256(next, tradie("ann"))).status()).isEqualTo(200);
    assertUnauthenticated(before, "a token of the removed key, accepted before");
    assertUnauthenticated(signRs256(old, tradie("ann")), "a new token of the removed key");
  }

  /** The provider down after start: the keys already fetched go on signing people in. */
  @Test
  void theProviderDownAfterStartKeepsTheCachedKeys() {
    idp.failing(true);
    try {
      assertThat(ownBalance(signEs256(ec, tradie("ann"))).status()).isEqualTo(200);
      assertUnauthenticated(
          signRs256(IdentityProviderStub.rsa("while-down"), tradie("ann")),
          "an unknown kid while the set cannot be fetched");
      assertThat(ownBalance(signEdDsa(ed, tradie("ann"))).status()).isEqualTo(200);
    } finally {
      idp.failing(false);
    }
  }

  /** The service's own HS256 tokens stay valid beside the provider's. */
  @Test
  void theServicesOwnTokensStillWork() {
    assertThat(ownBalance(service.token("ann", Role.TRADIE)).status()).isEqualTo(200);
  }

  /**
   * Started while the provider is down, the service serves but is not ready and answers its tokens
   * 503 NOT_READY; once the set is fetched, they are accepted.
   */
  @Test
  void beforeTheFirstFetchTokensAreNotReady(@TempDir Path dataDir) {
    try (IdentityProviderStub down = new IdentityProviderStub()) {
      RSAKey key = IdentityProviderStub.rsa("late-1");
      down.publish(key);
      down.failing(true);
      try (RunningService late =
          new RunningService(dataDir, EngineKind.ACTORS, down.settings(ROLES))) {
        Reply reply = late.send("GET", "/api/credits/balance", signRs256(key, tradie("ann")), null);
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body().get("code").asText()).isEqualTo("NOT_READY");
        assertThat(late.send("GET", "/health/ready", null, null).status()).isEqualTo(503);
        down.failing(false);
        Await.until(
            Duration.ofSeconds(60),
            "the provider's token is judged once the set is fetched",
            () ->
                late.send("GET", "/api/credits/balance", signRs256(key, tradie("ann")), null)
                        .status()
                    == 404);
        assertThat(late.send("GET", "/health/ready", null, null).status()).isEqualTo(200);
      }
    }
  }
}
