package io.leadcredits.testkit;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens for one service: the secret it was started with, an admin's token, and each
 * tradie's token, signed once on first use and reused. The signing is the caller's (the service's
 * own signer, on the caller's side of the module boundary), so a client holds tokens exactly as the
 * service issues them.
 */
public final class Tokens {
  /** The {@code role} claim of an operator's token. */
  public static final String ADMIN = "admin";

  /** The {@code role} claim of a tradie's token. */
  public static final String TRADIE = "tradie";

  /** Signs a token for a subject in a role ({@link #ADMIN} or {@link #TRADIE}). */
  @FunctionalInterface
  public interface Signer {
    String sign(String subject, String role);
  }

  /** 48 random bytes are 64 base64url characters, above the service's 32-byte minimum. */
  private static final int randomSecretBytes = 48;

  private final String secret;
  private final String admin;
  private final Signer signer;
  private final ConcurrentHashMap<String, String> tradies = new ConcurrentHashMap<>();

  /**
   * {@code secret} is what the service is started with (null when the service chose its own), and
   * {@code signer} signs with it.
   */
  public Tokens(String secret, String adminSubject, Signer signer) {
    this.secret = secret;
    this.signer = signer;
    this.admin = signer.sign(adminSubject, ADMIN);
  }

  /** A fresh random secret, as text. */
  public static String randomSecret() {
    byte[] random = new byte[randomSecretBytes];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** The secret to start the service with ({@code LEADCREDITS_JWT_SECRET}). */
  public String secret() {
    return secret;
  }

  public String admin() {
    return admin;
  }

  /** The token of the tradie who owns {@code accountId}. */
  public String tradie(String accountId) {
    return tradies.computeIfAbsent(accountId, id -> signer.sign(id, TRADIE));
  }
}
