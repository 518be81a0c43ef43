package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.Principal;
import io.leadcredits.auth.Role;
import java.util.Locale;
import java.util.Optional;

/**
 * Who is calling and what they may touch. Authentication: {@code Authorization: Bearer <jwt>},
 * verified by {@link Jwt} (signature, expiry, subject, role); anything else is 401. Authorization:
 * admins may act on any account, a tradie only on the account named by their subject; the rest is
 * 403.
 */
public final class Auth {
  private static final String BEARER = "bearer ";

  private Auth() {}

  /** The verified principal of an Authorization header value, or empty (answered 401). */
  public static Optional<Principal> authenticate(String authorization, Jwt jwt) {
    String token = bearerToken(authorization);
    return token == null ? Optional.empty() : jwt.verify(token);
  }

  /** The token of a {@code Bearer} header value (the scheme is case-insensitive), or null. */
  static String bearerToken(String authorization) {
    if (authorization == null || authorization.length() <= BEARER.length()) {
      return null;
    }
    if (!authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return null;
    }
    String token = authorization.substring(BEARER.length()).strip();
    return token.isEmpty() ? null : token;
  }

  public static boolean isAdmin(Principal principal) {
    return principal.role() == Role.ADMIN;
  }

  public static boolean isTradie(Principal principal) {
    return principal.role() == Role.TRADIE;
  }

  /** Admins act on every account; a tradie only on their own. */
  public static boolean mayActOn(Principal principal, String accountId) {
    return isAdmin(principal) || (isTradie(principal) && principal.subject().equals(accountId));
  }
}
