package io.leadcredits.cli;

import io.leadcredits.Settings;
import io.leadcredits.persistence.Database;
import io.leadcredits.service.Configs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code leadcredits db}: the embedded PostgreSQL on its own, so that several {@code serve} nodes
 * can share one journal on a single machine. It is the server {@code serve} would embed (fsync and
 * synchronous commit on, schema migrated), printed as the settings a node needs to reach it.
 */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the embedded PostgreSQL on its own until stopped (Ctrl-C or SIGTERM), with the schema"
          + " migrated, and prints the LEADCREDITS_DB_* settings that point nodes at it."
          + " It listens on localhost only: for nodes on other machines use a real PostgreSQL.",
      ""
    })
final class DbCommand implements Callable<Integer> {
  /** Next to PostgreSQL's own 5432, so a local server and this one can both run. */
  static final int PORT_DEFAULT = 5433;

  @Spec private CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "port, 0..65535; 0 picks a free one (default " + PORT_DEFAULT + ")")
  private int port = PORT_DEFAULT;

  @Option(
      names = "--data-dir",
      paramLabel = "D",
      description =
          "data directory; the server's files go to D/postgres (overrides LEADCREDITS_DATA_DIR;"
              + " default ./data)")
  private Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 0..65535: " + port);
    }
    Path dir = dataDir != null ? dataDir : Settings.fromConfig(Configs.load(Map.of())).dataDir();
    Database database = Database.embedded(dir, port);
    // SIGTERM and Ctrl-C run the hooks: PostgreSQL gets a clean shutdown (a checkpoint), so the
    // next start needs no recovery.
    Runtime.getRuntime().addShutdownHook(new Thread(database::close, "leadcredits-db-stop"));
    PrintWriter out = spec.commandLine().getOut();
    out.println("LEADCREDITS_DB_URL=" + database.jdbcUrl());
    out.println("LEADCREDITS_DB_USER=" + database.user());
    out.println("LEADCREDITS_DB_PASSWORD=" + database.password());
    out.flush();
    spec.commandLine()
        .getErr()
        .println("leadcredits db: PostgreSQL in " + dir + " is ready; Ctrl-C or SIGTERM stops it");
    spec.commandLine().getErr().flush();
    new CountDownLatch(1).await(); // the shutdown hook ends the process
    return 0;
  }
}
