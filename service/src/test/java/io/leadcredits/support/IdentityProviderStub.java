package io.leadcredits.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A marketplace's identity provider as the service sees it: a JWK set served over HTTP on loopback
 * (whose keys a test rotates, removes, or stops serving), and the tokens its keys sign.
 */
public final class IdentityProviderStub implements AutoCloseable {
  public static final String ISSUER = "https://idp.leadcredits.invalid/realms/market";
  public static final String AUDIENCE = "leadcredits-api";

  private final HttpServer server;
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile List<JWK> published = List.of();
  private volatile boolean failing;

  public IdentityProviderStub() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/jwks",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body;
          int status;
          if (failing) {
            status = 503;
            body = "down".getBytes(StandardCharsets.UTF_8);
          } else {
            status = 200;
            List<JWK> publics = new ArrayList<>();
            published.forEach(k -> publics.add(k.toPublicJWK()));
            body = new JWKSet(publics).toString().getBytes(StandardCharsets.UTF_8);
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  public URI jwksUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
  }

  /** The service settings that trust this provider, with the role at {@code roleClaim}. */
  public Map<String, Object> settings(String roleClaim) {
    return Map.of(
        "leadcredits.jwt.jwks-url", jwksUrl().toString(),
        "leadcredits.jwt.issuer", ISSUER,
        "leadcredits.jwt.audience", AUDIENCE,
        "leadcredits.jwt.role-claim", roleClaim,
        // Each unknown key fetches the set at once: the 30 s bound has its own test.
        "leadcredits.jwt.unknown-key-refresh-min", "0s");
  }

  /** Serves exactly these keys (their public halves) from now on. */
  public void publish(JWK... keys) {
    published = List.of(keys);
  }

  /** While true, the set is answered 503, as a provider that is down. */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  /** How many times the set was asked for. */
  public int fetches() {
    return fetches.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  public static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An Ed25519 key made by the JDK (nimbus's generator needs Google Tink). */
  public static Ed25519 ed25519(String kid) {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] encoded = pair.getPublic().getEncoded();
      byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
      OctetKeyPair jwk =
          new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw))
              .keyID(kid)
              .keyUse(KeyUse.SIGNATURE)
              .build();
      return new Ed25519(jwk, pair.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An Ed25519 public JWK and its private key. */
  public record Ed25519(OctetKeyPair jwk, PrivateKey privateKey) {}

  /** Claims as a provider issues them: this issuer and audience, valid for an hour from now. */
  public static JWTClaimsSet.Builder claims(String subject) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plusSeconds(3600)));
  }

  public static String signRs256(RSAKey key, JWTClaimsSet claims) {
    return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()), claims, key);
  }

  public static String signEs256(ECKey key, JWTClaimsSet claims) {
    return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()), claims, key);
  }

  public static String signEdDsa(Ed25519 key, JWTClaimsSet claims) {
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.EdDSA)
            .keyID(key.jwk().getKeyID())
            .type(JOSEObjectType.JWT)
            .build();
    String input =
        header.toBase64URL()
            + "."
            + Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8));
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key.privateKey());
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64URL.encode(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The algorithm-confusion attack: an HS256 token whose HMAC key is the bytes of the provider's
   * public key, which anyone can fetch.
   */
  public static String signHs256WithPublicKey(RSAKey key, JWTClaimsSet claims) {
    try {
      byte[] secret = key.toRSAPublicKey().getEncoded();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}) naming a key of the set. */
  public static String unsigned(String kid, JWTClaimsSet claims) {
    String header = "{\"alg\":\"none\",\"kid\":\"" + kid + "\"}";
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8))
        + ".";
  }

  private static String sign(JWSHeader.Builder header, JWTClaimsSet claims, JWK key) {
    try {
      SignedJWT jwt = new SignedJWT(header.type(JOSEObjectType.JWT).build(), claims);
      if (key instanceof RSAKey rsa) {
        jwt.sign(new RSASSASigner(rsa));
      } else if (key instanceof ECKey ec) {
        jwt.sign(new ECDSASigner(ec));
      } else {
        throw new IllegalArgumentException("no signer for " + key.getKeyType());
      }
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
