package io.leadcredits.auth;

import io.leadcredits.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The HS256 key. The configured secret ({@code LEADCREDITS_JWT_SECRET}) when there is one, else a
 * random one generated on first use and kept in {@code dataDir/jwt-secret}, so that {@code
 * leadcredits token} and {@code leadcredits serve} on the same data directory agree. The file holds
 * the secret as text: its content can be copied into LEADCREDITS_JWT_SECRET as is.
 */
public final class JwtSecret {
  /** HS256 needs a key at least as long as its 256-bit hash (RFC 7518, section 3.2). */
  public static final int LENGTH_MIN_BYTES = 32;

  /** 48 random bytes are 64 base64url characters: 384 bits, above the minimum with margin. */
  private static final int GENERATED_RANDOM_BYTES = 48;

  static final String FILE_NAME = "jwt-secret";

  private final byte[] bytes;

  private JwtSecret(byte[] bytes) {
    if (bytes.length < LENGTH_MIN_BYTES) {
      throw new IllegalArgumentException(
          "invalid setting: jwt.secret must be at least " + LENGTH_MIN_BYTES + " bytes");
    }
    this.bytes = bytes.clone();
  }

  /** A secret given as text; its UTF-8 bytes are the key. */
  public static JwtSecret of(String secret) {
    return new JwtSecret(secret.getBytes(StandardCharsets.UTF_8));
  }

  public static JwtSecret load(Settings settings) {
    if (settings.jwtSecret() != null) {
      return of(settings.jwtSecret());
    }
    return of(readOrCreate(settings.dataDir().resolve(FILE_NAME)));
  }

  /** The key bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  private static String readOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the JWT secret " + file, e);
    }
  }

  /**
   * Written to a private temporary file then moved into place, so no reader ever sees a partial
   * secret; if another process got there first, its secret wins and ours is dropped.
   */
  private static void create(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] random = new byte[GENERATED_RANDOM_BYTES];
    new SecureRandom().nextBytes(random);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Arrays.fill(random, (byte) 0);
    Path tmp =
        Files.createTempFile(
            file.toAbsolutePath().getParent(),
            FILE_NAME,
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
      Files.createLink(file, tmp); // atomic, and fails rather than replace an existing secret
    } catch (FileAlreadyExistsException e) {
      // Another process created it between our check and our link: use theirs.
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
