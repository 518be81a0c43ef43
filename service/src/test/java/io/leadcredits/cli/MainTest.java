package io.leadcredits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import io.leadcredits.Settings;
import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.JwtSecret;
import io.leadcredits.auth.Principal;
import io.leadcredits.auth.Role;
import io.leadcredits.service.Configs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private static final List<String> SETTINGS =
      List.of(
          "LEADCREDITS_HTTP_PORT",
          "LEADCREDITS_HTTP_HOST",
          "LEADCREDITS_DATA_DIR",
          "LEADCREDITS_DB_URL",
          "LEADCREDITS_DB_USER",
          "LEADCREDITS_DB_PASSWORD",
          "LEADCREDITS_JWT_SECRET",
          "LEADCREDITS_JWT_JWKS_URL",
          "LEADCREDITS_JWT_ISSUER",
          "LEADCREDITS_JWT_AUDIENCE",
          "LEADCREDITS_JWT_ROLE_CLAIM",
          "LEADCREDITS_JWT_SUBJECT_CLAIM",
          "LEADCREDITS_ASK_TIMEOUT",
          "LEADCREDITS_IDEMPOTENCY_WINDOW",
          "LEADCREDITS_CLUSTER_BOOTSTRAP",
          "LEADCREDITS_MANAGEMENT_PORT",
          "LEADCREDITS_BOOTSTRAP_ENDPOINTS");

  @TempDir Path dataDir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private ServeCommand.Server server = config -> {};

  @Test
  void helpExplainsEveryCommandAndSetting() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("serve", "token").contains(SETTINGS);

    for (String command : List.of("serve", "token")) {
      out.getBuffer().setLength(0);
      assertThat(run(command, "--help")).isZero();
      assertThat(out.toString()).contains(SETTINGS);
    }
  }

  @Test
  void badUsageExitsWith2() {
    assertThat(run()).isEqualTo(2);
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(run("serve", "--port", "http")).isEqualTo(2);
    assertThat(run("serve", "--port", "65536")).isEqualTo(2);
    assertThat(run("serve", "--cluster-port", "2551", "--seed-nodes", "no-port")).isEqualTo(1);
    assertThat(run("db", "--port", "70000")).isEqualTo(2);
    assertThat(run("token", "--subject", "ops")).isEqualTo(2);
    assertThat(run("token", "--subject", "ops", "--role", "root")).isEqualTo(2);
    assertThat(run("token", "--subject", "not valid", "--role", "admin")).isEqualTo(2);
    assertThat(run("token", "--subject", "ops", "--role", "admin", "--ttl", "1x")).isEqualTo(2);
    assertThat(run("token", "--subject", "ops", "--role", "admin", "--ttl", "31d")).isEqualTo(2);
  }

  @Test
  void tokenPrintsAJwtThatServeOnTheSameDataDirectoryAccepts() {
    int exit =
        run(
            "token",
            "--subject",
            "ops",
            "--role",
            "ADMIN",
            "--ttl",
            "30m",
            "--data-dir",
            dataDir.toString());

    assertThat(exit).isZero();
    Settings settings =
        Settings.fromConfig(Configs.load(Map.of("leadcredits.data-dir", dataDir.toString())));
    Jwt jwt = new Jwt(JwtSecret.load(settings), Clock.systemUTC());
    assertThat(jwt.verify(out.toString().strip())).contains(new Principal("ops", Role.ADMIN));
  }

  @Test
  void serveStartsTheEngineWithFlagsOverTheConfiguration() {
    AtomicReference<Config> started = new AtomicReference<>();
    server = started::set;

    int exit =
        run("serve", "--port", "9123", "--host", "127.0.0.1", "--data-dir", dataDir.toString());

    assertThat(exit).isZero();
    Settings settings = Settings.fromConfig(started.get());
    assertThat(settings.httpPort()).isEqualTo(9123);
    assertThat(settings.httpHost()).isEqualTo("127.0.0.1");
    assertThat(settings.dataDir()).isEqualTo(dataDir);
  }

  @Test
  void aFailedStartIsOneLineAndExit1() {
    server =
        config -> {
          throw new IllegalStateException("cannot bind 0.0.0.0:8080:\n  address in use");
        };

    assertThat(run("serve", "--data-dir", dataDir.toString())).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "leadcredits: cannot bind 0.0.0.0:8080: address in use" + System.lineSeparator());
  }

  @Test
  void logsAreTextAtATerminalAndJsonElseAnExplicitFormatWins() throws Exception {
    assertThat(Main.logFormat(null, true)).isEqualTo("text");
    assertThat(Main.logFormat(null, false)).isEqualTo("json");
    assertThat(Main.logFormat("", true)).isEqualTo("text");
    assertThat(Main.logFormat("json", true)).isEqualTo("json");
    assertThat(Main.logFormat("text", false)).isEqualTo("text");
    Path tty =
        java.nio.file.Files.createSymbolicLink(dataDir.resolve("fd2"), Path.of("/dev/pts/3"));
    Path file =
        java.nio.file.Files.createSymbolicLink(dataDir.resolve("fd2-file"), dataDir.resolve("log"));
    assertThat(Main.stderrIsTerminal(tty)).isTrue();
    assertThat(Main.stderrIsTerminal(file)).isFalse();
    assertThat(Main.stderrIsTerminal(dataDir.resolve("missing"))).isFalse();
  }

  @Test
  void theReadyMessageNamesTheDashboardAndHowToGetAnAdminToken() {
    Settings settings =
        Settings.fromConfig(Configs.load(Map.of("leadcredits.data-dir", dataDir.toString())));
    String message = Main.readyMessage(settings, 8123);
    assertThat(message)
        .contains("Dashboard: http://localhost:8123/")
        .contains("http://localhost:8123/api/openapi.json")
        .contains("./leadcredits token --subject ops --role admin --data-dir " + dataDir);
  }

  private int run(String... args) {
    return Main.execute(server, new PrintWriter(out, true), new PrintWriter(err, true), args);
  }
}
