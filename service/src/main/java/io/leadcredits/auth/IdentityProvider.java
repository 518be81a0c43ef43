package io.leadcredits.auth;

import com.typesafe.config.Config;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A marketplace's own identity provider (OIDC): tokens signed by a key of its JWK set ({@code
 * LEADCREDITS_JWT_JWKS_URL}), issued by {@code issuer} for {@code audience}, their role and account
 * id read from the claims at {@code roleClaim} and {@code subjectClaim} (dotted paths into the
 * claims, e.g. {@code realm_access.roles}). No URL: tokens of the service's own HS256 secret only.
 */
public record IdentityProvider(
    URI jwksUrl,
    String issuer,
    String audience,
    String roleClaim,
    String subjectClaim,
    Duration unknownKeyRefreshMin) {

  /** A dotted path of claim names: no empty step. */
  private static final Pattern CLAIM_PATH = Pattern.compile("[^.\\s]+(\\.[^.\\s]+)*");

  /**
   * A token naming a key the set lacks fetches the set again at most this often, so a flood of
   * made-up key ids costs the provider one request per interval. Tests set it lower.
   */
  public static final Duration UNKNOWN_KEY_REFRESH_MIN_DEFAULT = Duration.ofSeconds(30);

  public static final IdentityProvider NONE =
      new IdentityProvider(null, null, null, "role", "sub", UNKNOWN_KEY_REFRESH_MIN_DEFAULT);

  public IdentityProvider {
    require(
        roleClaim != null && CLAIM_PATH.matcher(roleClaim).matches(),
        "LEADCREDITS_JWT_ROLE_CLAIM must be a dotted path of claim names: " + roleClaim);
    require(
        subjectClaim != null && CLAIM_PATH.matcher(subjectClaim).matches(),
        "LEADCREDITS_JWT_SUBJECT_CLAIM must be a dotted path of claim names: " + subjectClaim);
    require(
        unknownKeyRefreshMin != null
            && !unknownKeyRefreshMin.isNegative()
            && unknownKeyRefreshMin.compareTo(Duration.ofHours(1)) <= 0,
        "jwt.unknown-key-refresh-min must be 0..1h");
    if (jwksUrl != null) {
      String scheme = jwksUrl.getScheme();
      require(
          ("https".equals(scheme) || "http".equals(scheme)) && jwksUrl.getHost() != null,
          "LEADCREDITS_JWT_JWKS_URL must be an absolute http(s) URL: " + jwksUrl);
      // Without both, a token of any tenant of the same provider, or minted for another API of
      // the marketplace, would be taken for one of ours.
      require(issuer != null, "LEADCREDITS_JWT_ISSUER is required with LEADCREDITS_JWT_JWKS_URL");
      require(
          audience != null, "LEADCREDITS_JWT_AUDIENCE is required with LEADCREDITS_JWT_JWKS_URL");
    }
  }

  public static IdentityProvider fromConfig(Config jwt) {
    String url = blankToNull(jwt.getString("jwks-url"));
    URI uri;
    try {
      uri = url == null ? null : new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "invalid setting: LEADCREDITS_JWT_JWKS_URL is not a URL: " + url, e);
    }
    return new IdentityProvider(
        uri,
        blankToNull(jwt.getString("issuer")),
        blankToNull(jwt.getString("audience")),
        jwt.getString("role-claim"),
        jwt.getString("subject-claim"),
        jwt.getDuration("unknown-key-refresh-min"));
  }

  public boolean enabled() {
    return jwksUrl != null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid setting: " + message);
    }
  }
}
