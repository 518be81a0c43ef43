package io.leadcredits.cli;

import io.leadcredits.Ids;
import io.leadcredits.Settings;
import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.JwtSecret;
import io.leadcredits.auth.Role;
import io.leadcredits.service.Configs;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code leadcredits token}: prints a bearer token the service on the same settings accepts. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a JWT (HS256) for the API's Authorization: Bearer header. It is signed with"
          + " LEADCREDITS_JWT_SECRET, or with the secret generated in the data directory, so run"
          + " it with the same settings as `serve`.",
      "Example: leadcredits token --subject ops --role admin --ttl 8h",
      ""
    },
    footerHeading = "%n",
    footer = Main.SETTINGS_HELP)
final class TokenCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--subject",
      required = true,
      paramLabel = "ID",
      description = "who the token speaks for: a tradie's account id, or an operator's name")
  private String subject;

  @Option(
      names = "--role",
      required = true,
      paramLabel = "ROLE",
      description = "admin (operators) or tradie (an account's owner)")
  private Role role;

  @Option(
      names = "--ttl",
      defaultValue = "1h",
      paramLabel = "DURATION",
      converter = TtlConverter.class,
      description = "lifetime such as 30m, 1h, 3600s or 7d; at most 30d (default ${DEFAULT-VALUE})")
  private Duration ttl;

  @Option(
      names = "--data-dir",
      paramLabel = "D",
      description = "data directory holding the generated secret (overrides LEADCREDITS_DATA_DIR)")
  private Path dataDir;

  @Override
  public Integer call() {
    if (!Ids.isValid(subject)) {
      throw new ParameterException(
          spec.commandLine(), "--subject must match [A-Za-z0-9_.-]{1,64}: " + subject);
    }
    if (ttl.compareTo(Jwt.TTL_MAX) > 0) {
      throw new ParameterException(spec.commandLine(), "--ttl must be at most 30d");
    }
    Map<String, Object> overrides = new HashMap<>();
    if (dataDir != null) {
      overrides.put("leadcredits.data-dir", dataDir.toString());
    }
    Settings settings = Settings.fromConfig(Configs.load(overrides));
    Jwt jwt = new Jwt(JwtSecret.load(settings), Clock.systemUTC());
    spec.commandLine().getOut().println(jwt.issue(subject, role, ttl));
    return 0;
  }

  /** A positive whole number of seconds, minutes, hours or days: {@code 3600s}, {@code 1h}. */
  static final class TtlConverter implements ITypeConverter<Duration> {
    private static final Pattern TTL = Pattern.compile("([1-9][0-9]{0,6})([smhd])");

    @Override
    public Duration convert(String value) {
      Matcher m = TTL.matcher(value.strip());
      if (!m.matches()) {
        throw new TypeConversionException("expected a duration like 30m, 1h, 3600s or 7d");
      }
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
  }
}
