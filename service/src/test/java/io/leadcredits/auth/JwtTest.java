package io.leadcredits.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.leadcredits.support.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JwtTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";
  private static final Jwt JWT = jwtAt(NOW, SECRET);

  @Test
  void verifiesTheTokensItIssues() {
    String token = JWT.issue("tradie-42", Role.TRADIE, Duration.ofHours(1));

    assertThat(JWT.verify(token)).contains(new Principal("tradie-42", Role.TRADIE));
  }

  @Test
  void rejectsATokenWhosePayloadWasChanged() {
    String[] parts = JWT.issue("tradie-42", Role.TRADIE, Duration.ofHours(1)).split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String forged = payload.replace("\"tradie\"", "\"admin\"");
    assertThat(forged).isNotEqualTo(payload);

    String token = parts[0] + "." + base64(forged) + "." + parts[2];

    assertThat(JWT.verify(token)).isEmpty();
  }

  @Test
  void rejectsAnExpiredToken() {
    String token = JWT.issue("ops", Role.ADMIN, Duration.ofMinutes(30));

    assertThat(jwtAt(NOW.plus(Duration.ofMinutes(29)), SECRET).verify(token)).isPresent();
    assertThat(jwtAt(NOW.plus(Duration.ofMinutes(30)), SECRET).verify(token)).isEmpty();
  }

  @Test
  void aTokenAlreadyVerifiedStillExpiresOnTime() {
    MutableClock clock = new MutableClock(NOW);
    Jwt jwt = new Jwt(JwtSecret.of(SECRET), clock);
    String token = jwt.issue("ops", Role.ADMIN, Duration.ofMinutes(30));

    assertThat(jwt.verify(token)).isPresent();
    clock.advance(Duration.ofMinutes(30));
    assertThat(jwt.verify(token)).isEmpty();
  }

  @Test
  void rejectsATokenSignedWithAnotherSecret() {
    String token =
        jwtAt(NOW, "another-secret-that-is-also-long-enough-x")
            .issue("ops", Role.ADMIN, Duration.ofHours(1));

    assertThat(JWT.verify(token)).isEmpty();
  }

  @Test
  void rejectsAnUnsignedTokenWithAlgNone() {
    String header = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    String payload =
        base64(
            "{\"sub\":\"ops\",\"role\":\"admin\",\"exp\":"
                + NOW.plusSeconds(3600).getEpochSecond()
                + "}");

    assertThat(JWT.verify(header + "." + payload + ".")).isEmpty();
  }

  @Test
  void rejectsAnotherHmacAlgorithmEvenWithTheRightSecret() throws Exception {
    String secret512 = SECRET + SECRET; // HS512 needs 64 bytes
    String token = sign(JWSAlgorithm.HS512, secret512, claims("ops", "admin"));

    assertThat(jwtAt(NOW, secret512).verify(token)).isEmpty();
  }

  @Test
  void rejectsTokensWithoutAUsableSubjectRoleOrExpiry() throws Exception {
    assertThat(JWT.verify(sign(JWSAlgorithm.HS256, SECRET, claims("not valid!", "admin"))))
        .isEmpty();
    assertThat(JWT.verify(sign(JWSAlgorithm.HS256, SECRET, claims(null, "admin")))).isEmpty();
    assertThat(JWT.verify(sign(JWSAlgorithm.HS256, SECRET, claims("ops", "root")))).isEmpty();
    assertThat(JWT.verify(sign(JWSAlgorithm.HS256, SECRET, claims("ops", "ADMIN")))).isEmpty();
    JWTClaimsSet noExpiry =
        new JWTClaimsSet.Builder().subject("ops").claim("role", "admin").build();
    assertThat(JWT.verify(sign(JWSAlgorithm.HS256, SECRET, noExpiry))).isEmpty();
  }

  @Test
  void rejectsCriticalHeaderExtensionsItDoesNotUnderstand() throws Exception {
    JWSHeader critical =
        new JWSHeader.Builder(JWSAlgorithm.HS256)
            .criticalParams(Set.of("x-policy"))
            .customParam("x-policy", "strict")
            .build();
    SignedJWT jwt = new SignedJWT(critical, claims("ops", "admin"));
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));

    assertThat(JWT.verify(jwt.serialize())).isEmpty();
  }

  @Test
  void rejectsAnyChangeToTheSignatureOrTheStructure() throws Exception {
    String token = sign(JWSAlgorithm.HS256, SECRET, claims("ops", "admin"));
    assertThat(JWT.verify(token)).isPresent();

    String signature = token.substring(token.lastIndexOf('.') + 1);
    char flipped = signature.charAt(0) == 'A' ? 'B' : 'A';
    String body = token.substring(0, token.lastIndexOf('.') + 1);
    assertThat(JWT.verify(body + flipped + signature.substring(1))).isEmpty();
    assertThat(JWT.verify(body)).isEmpty();
    assertThat(JWT.verify(token + ".")).isEmpty();
    assertThat(JWT.verify(token + "." + signature)).isEmpty();
    assertThat(JWT.verify("." + token)).isEmpty();
    assertThat(JWT.verify(token.replace('.', ','))).isEmpty();
  }

  @Test
  void rejectsAnExpiryThatIsNotANumericDate() {
    String header = base64("{\"alg\":\"HS256\"}");
    String payload = base64("{\"sub\":\"ops\",\"role\":\"admin\",\"exp\":\"2099\"}");
    String signature =
        Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(header + "." + payload));

    assertThat(JWT.verify(header + "." + payload + "." + signature)).isEmpty();
    String good = base64("{\"sub\":\"ops\",\"role\":\"admin\",\"exp\":4102444800}");
    String goodSignature =
        Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(header + "." + good));
    assertThat(JWT.verify(header + "." + good + "." + goodSignature)).isPresent();
  }

  private static byte[] hmac(String signed) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void rejectsGarbage() {
    assertThat(JWT.verify("")).isEmpty();
    assertThat(JWT.verify("not.a.jwt")).isEmpty();
    assertThat(JWT.verify(null)).isEmpty();
  }

  @Test
  void refusesToIssueBeyondTheMaximumLifetimeOrForAnInvalidSubject() {
    assertThatThrownBy(() -> JWT.issue("ops", Role.ADMIN, Duration.ofDays(31)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JWT.issue("ops", Role.ADMIN, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JWT.issue("a b", Role.ADMIN, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesASecretShorterThan32Bytes() {
    assertThatThrownBy(() -> JwtSecret.of("x".repeat(31)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes");
  }

  private static Jwt jwtAt(Instant now, String secret) {
    return new Jwt(JwtSecret.of(secret), Clock.fixed(now, ZoneOffset.UTC));
  }

  private static JWTClaimsSet claims(String subject, String role) {
    return new JWTClaimsSet.Builder()
        .subject(subject)
        .claim("role", role)
        .expirationTime(Date.from(NOW.plusSeconds(3600)))
        .build();
  }

  private static String sign(JWSAlgorithm alg, String secret, JWTClaimsSet claims)
      throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
