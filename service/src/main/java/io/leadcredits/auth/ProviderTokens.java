package io.leadcredits.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.leadcredits.Ids;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies the tokens of the marketplace's identity provider: a JWS signed with RS256, ES256 or
 * EdDSA (Ed25519) by the key its {@code kid} names in the provider's JWK set, that key of the type
 * the algorithm needs (so a token cannot pick an algorithm the key was not made for: an HS256 token
 * "signed" with a public key is refused before any check), issued by the configured issuer for the
 * configured audience, within its {@code nbf}..{@code exp} (with {@link #clockSkewMax}), and
 * carrying a valid account id at the subject claim. The role comes from the role claim.
 */
public final class ProviderTokens implements AutoCloseable {
  /** Clocks of the provider and the service disagree by seconds; a minute is the usual leeway. */
  static final Duration clockSkewMax = Duration.ofSeconds(60);

  static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);

  static final String ADMIN_GROUP = "leadcredits-admin";
  static final String TRADIE_GROUP = "leadcredits-tradie";

  /**
   * The DER prefix of an Ed25519 public key (RFC 8410): the JDK takes raw keys in this wrapping.
   */
  private static final byte[] ED25519_X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private static final int verifiedMax = 100_000;

  private final IdentityProvider provider;
  private final Clock clock;
  private final JwksKeys keys;

  /**
   * Tokens already verified, by their text; emptied whenever the key set changes, so a token of a
   * removed key is not accepted from memory.
   */
  private final Map<String, Checked> verified = new ConcurrentHashMap<>();

  private record Checked(Verdict verdict, Instant expiresAt) {}

  private ProviderTokens(IdentityProvider provider, Clock clock) {
    this.provider = provider;
    this.clock = clock;
    this.keys =
        JwksKeys.start(provider.jwksUrl(), provider.unknownKeyRefreshMin(), verified::clear);
  }

  /** Starts fetching the provider's keys; the service may serve before the first fetch ends. */
  public static ProviderTokens start(IdentityProvider provider, Clock clock) {
    return new ProviderTokens(provider, clock);
  }

  /** Whether the provider's keys were ever fetched. */
  public boolean ready() {
    return keys.ready();
  }

  /** What the token is worth; never throws for any input. */
  public Verdict verify(String token) {
    Checked known = verified.get(token);
    Instant now = clock.instant();
    if (known != null) {
      return now.isBefore(known.expiresAt()) ? known.verdict() : Verdict.REJECTED;
    }
    if (!keys.ready()) {
      return Verdict.KEYS_UNAVAILABLE;
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      JWTClaimsSet claims = verified(jwt, now);
      if (claims == null) {
        return Verdict.REJECTED;
      }
      Verdict verdict = principal(claims);
      if (verified.size() >= verifiedMax) {
        verified.clear();
      }
      verified.put(token, new Checked(verdict, claims.getExpirationTime().toInstant()));
      return verdict;
    } catch (ParseException | JOSEException | RuntimeException e) {
      // Malformed, or a key the verifier refuses: a client error, never a 5xx.
      return Verdict.REJECTED;
    }
  }

  /** The claims of a token whose signature, issuer, audience and times hold; else null. */
  private JWTClaimsSet verified(SignedJWT jwt, Instant now) throws ParseException, JOSEException {
    JWSHeader header = jwt.getHeader();
    if (!ALGORITHMS.contains(header.getAlgorithm())
        || header.getKeyID() == null
        || (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty())) {
      return null;
    }
    JWK key = keys.key(header.getKeyID());
    if (key == null || !signatureHolds(jwt, header.getAlgorithm(), key)) {
      return null;
    }
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    Date exp = claims.getExpirationTime();
    Date nbf = claims.getNotBeforeTime();
    List<String> audience = claims.getAudience();
    if (!provider.issuer().equals(claims.getIssuer())
        || audience == null
        || !audience.contains(provider.audience())
        || exp == null
        || !now.minus(clockSkewMax).isBefore(exp.toInstant())
        || (nbf != null && now.plus(clockSkewMax).isBefore(nbf.toInstant()))) {
      return null;
    }
    return claims;
  }

  /** The signature under a key of the type the algorithm needs; any other pairing fails. */
  private static boolean signatureHolds(SignedJWT jwt, JWSAlgorithm alg, JWK key)
      throws JOSEException {
    if (key.getKeyUse() != null && !"sig".equals(key.getKeyUse().identifier())) {
      return false;
    }
    if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
      return false;
    }
    if (alg.equals(JWSAlgorithm.RS256) && key instanceof RSAKey rsa) {
      return jwt.verify(new RSASSAVerifier(rsa));
    }
    if (alg.equals(JWSAlgorithm.ES256)
        && key instanceof ECKey ec
        && Curve.P_256.equals(ec.getCurve())) {
      return jwt.verify(new ECDSAVerifier(ec));
    }
    if (alg.equals(JWSAlgorithm.EdDSA)
        && key instanceof OctetKeyPair okp
        && Curve.Ed25519.equals(okp.getCurve())) {
      return ed25519(jwt, okp);
    }
    return false;
  }

  /**
   * Ed25519 by the JDK's own provider (Java 15+): nimbus's Ed25519 verifier needs Google Tink,
   * which this service does not carry; the JDK verifies the same signature.
   */
  private static boolean ed25519(SignedJWT jwt, OctetKeyPair key) throws JOSEException {
    try {
      byte[] raw = key.getX().decode();
      if (raw.length != 32) {
        return false;
      }
      byte[] der = new byte[ED25519_X509_PREFIX.length + raw.length];
      System.arraycopy(ED25519_X509_PREFIX, 0, der, 0, ED25519_X509_PREFIX.length);
      System.arraycopy(raw, 0, der, ED25519_X509_PREFIX.length, raw.length);
      PublicKey publicKey =
          KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(publicKey);
      verifier.update(jwt.getSigningInput());
      return verifier.verify(jwt.getSignature().decode());
    } catch (GeneralSecurityException e) {
      throw new JOSEException("Ed25519 verification failed: " + e.getMessage(), e);
    }
  }

  /** The principal a verified token speaks for, or why it has none. */
  private Verdict principal(JWTClaimsSet claims) {
    Object subject = at(claims.getClaims(), provider.subjectClaim());
    if (!(subject instanceof String id) || !Ids.isValid(id)) {
      return Verdict.REJECTED;
    }
    Role role = role(at(claims.getClaims(), provider.roleClaim()));
    return role == null ? Verdict.NO_ROLE : new Verdict.Accepted(new Principal(id, role));
  }

  /**
   * A string names a role as our own tokens do ({@code admin}, {@code tradie}); a list (a
   * provider's groups or roles) grants one by holding {@code leadcredits-admin} or {@code
   * leadcredits-tradie}, admin first.
   */
  static Role role(Object value) {
    if (value instanceof String s) {
      return Role.fromClaim(s).orElse(null);
    }
    if (value instanceof List<?> list) {
      if (list.contains(ADMIN_GROUP)) {
        return Role.ADMIN;
      }
      if (list.contains(TRADIE_GROUP)) {
        return Role.TRADIE;
      }
    }
    return null;
  }

  /** The claim at a dotted path ({@code realm_access.roles}), or null. */
  static Object at(Map<String, Object> claims, String path) {
    if (claims.containsKey(path)) {
      return claims.get(path); // a claim whose name has dots, as Auth0's namespaced claims do
    }
    Object node = claims;
    for (String step : path.split("\\.")) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(step);
    }
    return node;
  }

  @Override
  public void close() {
    keys.close();
  }
}
