package io.leadcredits;

import com.typesafe.config.Config;
import io.leadcredits.auth.IdentityProvider;
import io.leadcredits.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting of the service, read once from the {@code leadcredits} block of the configuration
 * (application.conf with {@code LEADCREDITS_*} environment overrides, then command-line flags) and
 * validated at start-up: a bad setting stops the service before it takes traffic.
 */
public record Settings(
    EngineKind engine,
    String httpHost,
    int httpPort,
    int httpMaxInFlight,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    String jwtSecret,
    Duration askTimeout,
    Duration holdTtlDefault,
    Duration holdTtlMax,
    int holdsPerAccountMax,
    int transactionsInMemoryMax,
    Duration idempotencyWindow,
    Duration wakeupInterval,
    Duration claimResumeDelay,
    int snapshotEveryEvents,
    int baselinePoolSize,
    ClusterSettings cluster,
    WebhookSettings webhooks,
    KafkaSettings kafka,
    IdentityProvider identityProvider,
    RefundSettings refunds) {

  public Settings {
    require(httpPort >= 0 && httpPort <= 65535, "http.port must be 0..65535");
    require(
        httpMaxInFlight >= 1 && httpMaxInFlight <= 100_000, "http.max-in-flight must be 1..100000");
    require(!askTimeout.isNegative() && !askTimeout.isZero(), "ask-timeout must be positive");
    require(
        holdTtlDefault.compareTo(Limits.holdTtlMin) >= 0,
        "hold-ttl-default must be >= " + Limits.holdTtlMin);
    require(holdTtlMax.compareTo(holdTtlDefault) >= 0, "hold-ttl-max must be >= hold-ttl-default");
    require(
        holdTtlMax.compareTo(Limits.holdTtlCeiling) <= 0,
        "hold-ttl-max must be <= " + Limits.holdTtlCeiling);
    require(
        holdsPerAccountMax >= 1 && holdsPerAccountMax <= 100_000,
        "holds-per-account-max 1..100000");
    require(
        transactionsInMemoryMax >= Limits.transactionsInMemoryMin
            && transactionsInMemoryMax <= 10_000_000,
        "transactions-in-memory-max must be " + Limits.transactionsInMemoryMin + "..10000000");
    require(
        idempotencyWindow.compareTo(Duration.ofHours(24)) >= 0,
        "idempotency-window must be >= 24h");
    require(
        !wakeupInterval.isNegative() && !wakeupInterval.isZero(),
        "wakeup-interval must be positive");
    require(
        !claimResumeDelay.isNegative() && !claimResumeDelay.isZero(),
        "claim-resume-delay must be positive");
    require(snapshotEveryEvents >= 10, "snapshot-every-events must be >= 10");
    require(baselinePoolSize >= 1 && baselinePoolSize <= 256, "baseline.pool-size must be 1..256");
  }

  public static Settings fromConfig(Config root) {
    Config c = root.getConfig("leadcredits");
    requireLogging(c);
    return new Settings(
        EngineKind.parse(c.getString("engine")),
        c.getString("http.host"),
        c.getInt("http.port"),
        c.getInt("http.max-in-flight"),
        Path.of(c.getString("data-dir")),
        blankToNull(c.getString("db.url")),
        blankToNull(c.getString("db.user")),
        blankToNull(c.getString("db.password")),
        blankToNull(c.getString("jwt.secret")),
        c.getDuration("ask-timeout"),
        c.getDuration("account.hold-ttl-default"),
        c.getDuration("account.hold-ttl-max"),
        c.getInt("account.holds-per-account-max"),
        c.getInt("account.transactions-in-memory-max"),
        c.getDuration("idempotency-window"),
        c.getDuration("wakeup-interval"),
        c.getDuration("claim.resume-delay"),
        c.getInt("snapshot-every-events"),
        c.getInt("baseline.pool-size"),
        ClusterSettings.fromConfig(c.getConfig("cluster")),
        WebhookSettings.fromConfig(c.getConfig("webhooks")),
        KafkaSettings.fromConfig(c.getConfig("kafka")),
        IdentityProvider.fromConfig(c.getConfig("jwt")),
        RefundSettings.fromConfig(c.getConfig("refunds")));
  }

  /** Every setting but the secrets, so printing or logging the settings leaks neither. */
  @Override
  public String toString() {
    return "Settings[engine=%s, http=%s:%d, dataDir=%s, dbUrl=%s, dbUser=%s, dbPassword=%s, jwtSecret=%s, askTimeout=%s, holdTtlDefault=%s, holdTtlMax=%s, holdsPerAccountMax=%d, transactionsInMemoryMax=%d, idempotencyWindow=%s, wakeupInterval=%s, claimResumeDelay=%s, snapshotEveryEvents=%d, baselinePoolSize=%d, webhooks=%s, kafka=%s, identityProvider=%s, refunds=%s]"
        .formatted(
            engine,
            httpHost,
            httpPort,
            dataDir,
            dbUrl,
            dbUser,
            dbPassword == null ? null : "(redacted)",
            jwtSecret == null ? null : "(redacted)",
            askTimeout,
            holdTtlDefault,
            holdTtlMax,
            holdsPerAccountMax,
            transactionsInMemoryMax,
            idempotencyWindow,
            wakeupInterval,
            claimResumeDelay,
            snapshotEveryEvents,
            baselinePoolSize,
            webhooks,
            kafka,
            identityProvider,
            refunds);
  }

  /** The time-to-live a reservation gets: the one it asked for, or the default. */
  public Duration holdTtl(Duration requested) {
    return requested == null ? holdTtlDefault : requested;
  }

  /** An external PostgreSQL when a URL is configured, else the embedded one under dataDir. */
  public Optional<String> externalDbUrl() {
    return Optional.ofNullable(dbUrl);
  }

  /**
   * Logback reads the log settings itself and would quietly log nothing (an unknown format) or at
   * DEBUG (an unknown level); checked here so a typo stops the start instead.
   */
  private static void requireLogging(Config c) {
    String level = c.getString("log.level");
    require(
        Set.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(level.toUpperCase(Locale.ROOT)),
        "LEADCREDITS_LOG_LEVEL must be ERROR, WARN, INFO or DEBUG: " + level);
    String format = c.getString("log.format");
    require(
        format.equals("json") || format.equals("text"),
        "LEADCREDITS_LOG_FORMAT must be json or text: " + format);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid setting: " + message);
    }
  }
}
