package io.leadcredits.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Settings;
import io.leadcredits.service.Configs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtSecretTest {
  @TempDir Path dataDir;

  @Test
  void generatesASecretOncePrivatelyAndReusesIt() throws Exception {
    JwtSecret first = JwtSecret.load(settings(""));
    Path file = dataDir.resolve(JwtSecret.FILE_NAME);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(first.bytes()).hasSizeGreaterThanOrEqualTo(JwtSecret.LENGTH_MIN_BYTES);
    assertThat(JwtSecret.load(settings("")).bytes()).isEqualTo(first.bytes());
    try (var files = Files.list(dataDir)) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void aTokenFromOneLoadIsAcceptedByAnother() {
    String token =
        new Jwt(JwtSecret.load(settings("")), Clock.systemUTC())
            .issue("ops", Role.ADMIN, Duration.ofMinutes(5));

    assertThat(new Jwt(JwtSecret.load(settings("")), Clock.systemUTC()).verify(token))
        .contains(new Principal("ops", Role.ADMIN));
  }

  @Test
  void theConfiguredSecretWinsAndNothingIsWritten() {
    String configured = "configured-secret-configured-secret-123";

    assertThat(JwtSecret.load(settings(configured)).bytes())
        .isEqualTo(JwtSecret.of(configured).bytes());
    assertThat(dataDir.resolve(JwtSecret.FILE_NAME)).doesNotExist();
  }

  private Settings settings(String secret) {
    return Settings.fromConfig(
        Configs.load(
            Map.of("leadcredits.data-dir", dataDir.toString(), "leadcredits.jwt.secret", secret)));
  }
}
