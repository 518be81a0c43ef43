package io.leadcredits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/** Identifier rules shared by every entity: ids are {@code [A-Za-z0-9_.-]{1,64}}. */
public final class Ids {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /** Claim ids are derived, so user-chosen transaction ids may not take this prefix. */
  public static final String CLAIM_PREFIX = "clm_";

  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private Ids() {}

  public static boolean isValid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /**
   * The claim id of a tradie's claim on a lead: the same pair always yields the same id, so a
   * retried claim is the same claim and its debit is idempotent. A hash keeps it within 64 chars
   * whatever the lengths of the two ids, and the separator byte keeps ("a.b","c") apart from
   * ("a","b.c").
   */
  public static String claimId(String leadId, String tradieId) {
    byte[] digest = sha256(leadId + '\u0000' + tradieId);
    StringBuilder out = new StringBuilder(CLAIM_PREFIX);
    int buffer = 0;
    int bits = 0;
    // 26 base32 characters = 130 bits of the digest: collisions are out of reach.
    for (int i = 0; out.length() < CLAIM_PREFIX.length() + 26; ) {
      if (bits < 5) {
        buffer = (buffer << 8) | (digest[i++] & 0xff);
        bits += 8;
      }
      out.append(BASE32[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
    return out.toString();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
