package io.leadcredits.cli;

import io.leadcredits.Settings;
import io.leadcredits.service.Service;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The jar's entry point: {@code leadcredits serve} runs the service, {@code leadcredits token}
 * prints a JWT for it, {@code leadcredits verify} checks a stopped service's journal, {@code
 * leadcredits db} runs the embedded PostgreSQL alone for several nodes to share. Exit codes: 0
 * success, 2 bad usage, 1 anything that stopped the command, reported as one line on stderr.
 */
@Command(
    name = "leadcredits",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Credit engine for lead marketplaces: accounts and leads as event-sourced actors on"
          + " PostgreSQL, behind an HTTP API.",
      ""
    },
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = Main.SETTINGS_HELP)
public final class Main implements Runnable {
  /** Every setting, shown by --help at the top and on each command. */
  static final String SETTINGS_HELP =
      "Settings (environment variables; flags of `serve` override them):%n"
          + "  LEADCREDITS_ENGINE             actors (default), locks or sql: the engine%n"
          + "                                 behind the API (the last two are baselines)%n"
          + "  LEADCREDITS_HTTP_HOST          interface the HTTP API listens on (default%n"
          + "                                 0.0.0.0)%n"
          + "  LEADCREDITS_HTTP_PORT          HTTP port (default 8080; 0 picks a free one)%n"
          + "  LEADCREDITS_HTTP_MAX_IN_FLIGHT requests served at once; more are answered%n"
          + "                                 503 OVERLOADED at once (default 1024)%n"
          + "  LEADCREDITS_DATA_DIR           embedded PostgreSQL files and the generated%n"
          + "                                 JWT secret (default ./data; ./leadcredits%n"
          + "                                 uses the repository's data/ when unset)%n"
          + "  LEADCREDITS_DB_URL             external PostgreSQL, e.g.%n"
          + "                                 jdbc:postgresql://db:5432/leadcredits; when%n"
          + "                                 empty an embedded PostgreSQL runs in the data%n"
          + "                                 directory%n"
          + "  LEADCREDITS_DB_USER            user for LEADCREDITS_DB_URL%n"
          + "  LEADCREDITS_DB_PASSWORD        password for LEADCREDITS_DB_URL%n"
          + "  LEADCREDITS_JWT_SECRET         HS256 secret, at least 32 bytes; when empty%n"
          + "                                 one is generated once into <data dir>/jwt-%n"
          + "                                 secret%n"
          + "  LEADCREDITS_JWT_JWKS_URL       JWK set of the marketplace's identity%n"
          + "                                 provider (OIDC): its RS256, ES256 and EdDSA%n"
          + "                                 tokens are accepted too (default: none)%n"
          + "  LEADCREDITS_JWT_ISSUER         the iss its tokens carry (required with it)%n"
          + "  LEADCREDITS_JWT_AUDIENCE       an aud its tokens carry (required with it)%n"
          + "  LEADCREDITS_JWT_ROLE_CLAIM     dotted path to the role: admin or tradie, or%n"
          + "                                 a list with leadcredits-admin or%n"
          + "                                 leadcredits-tradie (default role)%n"
          + "  LEADCREDITS_JWT_SUBJECT_CLAIM  dotted path to the account id (default sub)%n"
          + "  LEADCREDITS_ASK_TIMEOUT        how long a request waits for its account or%n"
          + "                                 lead before a 503 (default 5s)%n"
          + "  LEADCREDITS_IDEMPOTENCY_WINDOW how long a transaction id is remembered, at%n"
          + "                                 least 24h (default 24h)%n"
          + "  LEADCREDITS_TRANSACTIONS_IN_MEMORY_MAX  transaction ids an account keeps%n"
          + "                                 in memory; older ones are looked up in the%n"
          + "                                 journal (default 65536)%n"
          + "  LEADCREDITS_CLUSTER_HOST       address other nodes reach this one at%n"
          + "                                 (default 127.0.0.1)%n"
          + "  LEADCREDITS_CLUSTER_PORT       cluster port (default 0: any free port;%n"
          + "                                 fixed when seed nodes are set)%n"
          + "  LEADCREDITS_SEED_NODES         host:port,host:port of the nodes to join, the%n"
          + "                                 same on every node (default none: one node)%n"
          + "  LEADCREDITS_CLUSTER_BOOTSTRAP  instead of seed nodes, find the nodes by%n"
          + "                                 Pekko Cluster Bootstrap: kubernetes-api, dns%n"
          + "                                 or config (default off)%n"
          + "  LEADCREDITS_MANAGEMENT_PORT    Pekko Management port for bootstrap, on the%n"
          + "                                 cluster host (default 7626)%n"
          + "  LEADCREDITS_BOOTSTRAP_SERVICE_NAME  pods' app label (kubernetes-api) or DNS%n"
          + "                                 name (dns) (default leadcredits)%n"
          + "  LEADCREDITS_BOOTSTRAP_REQUIRED_CONTACT_POINTS  nodes seen before a new%n"
          + "                                 cluster forms (default 2)%n"
          + "  LEADCREDITS_BOOTSTRAP_ENDPOINTS  config: host:port of every node's%n"
          + "                                 management endpoint%n"
          + "  LEADCREDITS_SBR_STRATEGY       split-brain resolver: keep-majority%n"
          + "                                 (default), keep-oldest, down-all or%n"
          + "                                 lease-majority (Kubernetes Lease)%n"
          + "  LEADCREDITS_ACTIVE_ENTITIES_MAX accounts and leads in memory per node%n"
          + "                                 (default 400000)%n"
          + "  LEADCREDITS_WEBHOOKS_ALLOW_PRIVATE  true lets webhook endpoints be%n"
          + "                                 loopback, link-local or private addresses%n"
          + "                                 (default false)%n"
          + "  LEADCREDITS_WEBHOOKS_GIVE_UP_AFTER  a webhook delivery still failing this%n"
          + "                                 long after its first attempt is FAILED%n"
          + "                                 (default 3d)%n"
          + "  LEADCREDITS_KAFKA_BOOTSTRAP_SERVERS  host:port,host:port of Kafka brokers:%n"
          + "                                 publish every event there (default: off)%n"
          + "  LEADCREDITS_KAFKA_TOPIC        the topic (default leadcredits.events)%n"
          + "  LEADCREDITS_LOG_LEVEL          ERROR, WARN, INFO or DEBUG (default INFO)%n"
          + "  LEADCREDITS_LOG_FORMAT         json (one JSON object per line on stderr)%n"
          + "                                 or text (default: text when stderr is a%n"
          + "                                 terminal, else json)%n"
          + "  LEADCREDITS_JAVA_OPTS          JVM options, read by the ./leadcredits%n"
          + "                                 launcher%n"
          + "Durations are written like 500ms, 5s, 10m, 24h.%n"
          + "Exit codes: 0 success, 2 bad usage, 1 failure (one line on stderr).";

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing command: serve, db, token, bench or verify");
  }

  public static void main(String[] args) {
    // Before anything logs: logback reads the format once, from this property or the environment.
    System.setProperty(
        LOG_FORMAT,
        logFormat(System.getenv(LOG_FORMAT), stderrIsTerminal(Path.of("/proc/self/fd/2"))));
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(
        execute(
            config -> {
              Service service = Service.start(config);
              announceWhenReady(service, out);
              service.awaitTermination();
            },
            out,
            err,
            args));
  }

  static final String LOG_FORMAT = "LEADCREDITS_LOG_FORMAT";

  /**
   * JSON lines for a log shipper, text for a person at a terminal; a format set explicitly wins.
   */
  static String logFormat(String configured, boolean stderrIsTerminal) {
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    return stderrIsTerminal ? "text" : "json";
  }

  /**
   * Whether the file descriptor behind {@code fd} (Linux's {@code /proc/self/fd/2}) is a terminal;
   * false wherever that cannot be told, so logs stay JSON for machines.
   */
  static boolean stderrIsTerminal(Path fd) {
    try {
      String target = Files.readSymbolicLink(fd).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** How long {@code serve} waits to say it is ready; the service goes on serving either way. */
  private static final Duration readyWaitMax = Duration.ofMinutes(2);

  /**
   * Once the node is ready, tells a first-time user where the dashboard is and how to sign in to
   * it, on stdout (the logs are on stderr).
   */
  static void announceWhenReady(Service service, PrintWriter out) throws InterruptedException {
    long deadline = System.nanoTime() + readyWaitMax.toNanos();
    while (System.nanoTime() < deadline) {
      if (service.credits().readiness().toCompletableFuture().join().ready()) {
        out.println(readyMessage(service.settings(), service.httpPort()));
        return;
      }
      Thread.sleep(200);
    }
  }

  static String readyMessage(Settings settings, int port) {
    String host = settings.httpHost();
    if (host.equals("0.0.0.0") || host.equals("::") || host.isBlank()) {
      host = "localhost";
    } else if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    String base = "http://" + host + ":" + port + "/";
    return "leadcredits is ready.\n"
        + "  Dashboard: "
        + base
        + "\n"
        + "  API:       "
        + base
        + "api/openapi.json\n"
        + "  An admin token for both (paste it into the dashboard; send it as Authorization:"
        + " Bearer):\n"
        + "    ./leadcredits token --subject ops --role admin --data-dir "
        + settings.dataDir()
        + "\n";
  }

  /** Runs one command line; {@code server} is what {@code serve} starts (tests pass their own). */
  static int execute(ServeCommand.Server server, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli =
        new CommandLine(new Main())
            .addSubcommand(new ServeCommand(server))
            .addSubcommand(new TokenCommand())
            .addSubcommand(new VerifyCommand())
            .addSubcommand(new DbCommand());
    for (Subcommand plugged : ServiceLoader.load(Subcommand.class)) {
      cli.addSubcommand(plugged);
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              cmd.getErr().println("leadcredits: " + oneLine(e));
              cmd.getErr().flush();
              return CommandLine.ExitCode.SOFTWARE;
            });
    return cli.execute(args);
  }

  /** One line for a human: the message, without the stack trace or embedded line breaks. */
  static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  /** The version from the jar's manifest, when run from the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"leadcredits " + (version == null ? "(development build)" : version)};
    }
  }
}
