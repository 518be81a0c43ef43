package io.leadcredits.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.leadcredits.Ids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MACSigner signer;
  private final ThreadLocal<Mac> macs;
  private final Clock clock;

  /** The marketplace's identity provider, whose tokens are accepted beside ours; or null. */
  private final ProviderTokens provider;

  /**
   * Tokens already verified, keyed by the exact token text: parsing and checking the HMAC costs
   * more than the rest of a balance read, and clients send the same token with every request.
   */
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  private static final int verifiedMax = 100_000;

  public Jwt(JwtSecret secret, Clock clock) {
    this(secret, clock, null);
  }

  /**
   * Tokens of this secret and, when {@code provider} is not null, those of the marketplace's
   * identity provider ({@link ProviderTokens}).
   */
  public Jwt(JwtSecret secret, Clock clock, ProviderTokens provider) {
    this.provider = provider;
    try {
      byte[] key = secret.bytes();
      this.signer = new MACSigner(key);
      SecretKeySpec macKey = new SecretKeySpec(key, "HmacSHA256");
      this.macs = ThreadLocal.withInitial(() -> newMac(macKey));
    } catch (JOSEException e) {
      // JwtSecret already enforces the key length, the only reason nimbus refuses a key.
      throw new IllegalArgumentException("unusable JWT secret: " + e.getMessage(), e);
    }
    this.clock = clock;
  }

  private static Mac newMac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
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

  /**
   * What a bearer token is worth: one of this service's own HS256 tokens, else (when an identity
   * provider is configured) one of the provider's.
   */
  public Verdict check(String token) {
    if (token == null) {
      return Verdict.REJECTED;
    }
    Optional<Principal> own = verify(token);
    if (own.isPresent()) {
      return new Verdict.Accepted(own.get());
    }
    return provider == null ? Verdict.REJECTED : provider.verify(token);
  }

  /** Whether tokens can be judged: an identity provider's keys were fetched, if there is one. */
  public boolean ready() {
    return provider == null || provider.ready();
  }

  /** A token whose signature and claims were checked once; only its expiry changes with time. */
  private record Verified(Principal principal, Instant expiresAt) {}

  /**
   * Checks a compact JWS by hand rather than with nimbus's parser, which costs several times more
   * per token and dominates a read when many distinct tradies arrive at once (each token is
   * verified once, then cached). The rules are nimbus's for HS256: three base64url parts, the
   * header's {@code alg} exactly HS256 and no {@code crit} extensions, a constant-time HMAC-SHA256
   * comparison over the first two parts as sent; then the claims.
   */
  private Verified parseAndVerify(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
      return null;
    }
    try {
      JsonNode header = JSON.readTree(base64Url(token, 0, first));
      byte[] signature = base64Url(token, second + 1, token.length());
      if (header == null
          || !header.isObject()
          || !"HS256".equals(header.path("alg").textValue())
          || header.has("crit")
          || !MessageDigest.isEqual(hmac(token, second), signature)) {
        return null;
      }
      JsonNode claims = JSON.readTree(base64Url(token, first + 1, second));
      if (claims == null || !claims.isObject()) {
        return null;
      }
      JsonNode exp = claims.path("exp");
      String subject = claims.path("sub").textValue();
      Optional<Role> role = Role.fromClaim(claims.path(ROLE_CLAIM).textValue());
      if (!exp.isIntegralNumber() || !exp.canConvertToLong() || subject == null) {
        return null;
      }
      if (!Ids.isValid(subject) || role.isEmpty()) {
        return null;
      }
      return new Verified(new Principal(subject, role.get()), Instant.ofEpochSecond(exp.asLong()));
    } catch (IOException | IllegalArgumentException | java.time.DateTimeException e) {
      return null; // not base64url, not JSON, or a time out of range
    }
  }

  private static byte[] base64Url(String token, int from, int to) {
    return Base64.getUrlDecoder()
        .decode(token.substring(from, to).getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] hmac(String token, int signedEnd) {
    Mac mac = macs.get();
    // Non-ASCII characters cannot be in a valid token: they were already refused by the decoder.
    return mac.doFinal(token.substring(0, signedEnd).getBytes(StandardCharsets.US_ASCII));
  }
}
