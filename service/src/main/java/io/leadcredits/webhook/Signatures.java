package io.leadcredits.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing: a secret is {@code whsec_} and the base64 of 24 random bytes; a
 * delivery's {@code webhook-signature} is {@code v1,} and the base64 HMAC-SHA256, keyed with those
 * bytes, of {@code {webhook-id}.{webhook-timestamp}.{body}}.
 */
public final class Signatures {
  public static final String SECRET_PREFIX = "whsec_";

  /** 192 bits: Standard Webhooks asks for between 24 and 64 bytes. */
  private static final int SECRET_BYTES = 24;

  private static final SecureRandom random = new SecureRandom();

  /**
   * One per thread, initialised again with each attempt's key: looking the algorithm up among the
   * security providers costs more than the HMAC of a body.
   */
  private static final ThreadLocal<Mac> macs =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
            }
          });

  private Signatures() {}

  public static String newSecret() {
    byte[] key = new byte[SECRET_BYTES];
    random.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The {@code webhook-signature} header of {@code body} sent as {@code id} at {@code seconds}. */
  public static String sign(String secret, String id, long seconds, byte[] body) {
    if (!secret.startsWith(SECRET_PREFIX)) {
      throw new IllegalArgumentException("not a webhook secret");
    }
    byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    try {
      Mac mac = macs.get();
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + seconds + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
    }
  }
}
