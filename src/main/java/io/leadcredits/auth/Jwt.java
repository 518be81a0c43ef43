package io.leadcredits.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.leadcredits.Ids;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and verifies the service's bearer tokens: HS256 JWTs with {@code sub} (an id), {@code
 * role} ({@link Role#claimValue()}), {@code iat} and a mandatory {@code exp}. Verification accepts
 * only HS256 under this secret, so {@code alg: none} and tokens signed with another algorithm or
 * key are refused, as are expired tokens and tokens whose subject is not a valid id.
 */
public final class Jwt {
  /** A token outliving a month is a standing credential; issue a new one instead. */
  public static final Duration TTL_MAX = Duration.ofDays(30);

  static final String ROLE_CLAIM = "role";

  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Clock clock;

  /**
   * Tokens already verified, keyed by the exact token text: parsing and checking the HMAC costs
   * more than the rest of a balance read, and clients send the same token with every request.
   */
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  private static final int verifiedMax = 100_000;

  public Jwt(JwtSecret secret, Clock clock) {
    try {
      byte[] key = secret.bytes();
      this.signer = new MACSigner(key);
      this.verifier = new MACVerifier(key);
    } catch (JOSEException e) {
      // JwtSecret already enforces the key length, the only reason nimbus refuses a key.
      throw new IllegalArgumentException("unusable JWT secret: " + e.getMessage(), e);
    }
    this.clock = clock;
  }

  public String issue(String subject, Role role, Duration ttl) {
    new Principal(subject, role); // validates the subject
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(TTL_MAX) > 0) {
      throw new IllegalArgumentException(
          "ttl must be positive and at most " + TTL_MAX.toDays() + " days");
    }
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(subject)
            .claim(ROLE_CLAIM, role.claimValue())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("HS256 signing failed", e);
    }
    return jwt.serialize();
  }

  /**
   * The token's principal, or empty if the token is not one this service issued and still valid.
   */
  public Optional<Principal> verify(String token) {
    if (token == null) {
      return Optional.empty();
    }
    Verified known = verified.get(token);
    if (known == null) {
      known = parseAndVerify(token);
      if (known == null) {
        return Optional.empty();
      }
      if (verified.size() >= verifiedMax) {
        verified.clear(); // crude but bounded; a busy service refills it within a second
      }
      verified.put(token, known);
    }
    // Expiry is checked on every use, cached or not.
    return clock.instant().isBefore(known.expiresAt())
        ? Optional.of(known.principal())
        : Optional.empty();
  }

  /** A token whose signature and claims were checked once; only its expiry changes with time. */
  private record Verified(Principal principal, Instant expiresAt) {}

  private Verified parseAndVerify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        return null;
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date expiresAt = claims.getExpirationTime();
      String subject = claims.getSubject();
      Optional<Role> role = Role.fromClaim(claims.getStringClaim(ROLE_CLAIM));
      if (expiresAt == null || !Ids.isValid(subject) || role.isEmpty()) {
        return null;
      }
      return new Verified(new Principal(subject, role.get()), expiresAt.toInstant());
    } catch (ParseException | JOSEException | IllegalStateException e) {
      return null; // malformed, unsigned or otherwise unverifiable
    }
  }
}
