package io.leadcredits.cli;

import com.typesafe.config.Config;
import io.leadcredits.EngineKind;
import io.leadcredits.Settings;
import io.leadcredits.service.Configs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code leadcredits serve}: runs the service until it is stopped (SIGTERM or Ctrl-C). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the HTTP service until stopped (Ctrl-C or SIGTERM leave the cluster gracefully).",
      "Starts an embedded PostgreSQL in the data directory unless LEADCREDITS_DB_URL is set,"
          + " migrates its schema, then serves the API, /metrics and /health/*.",
      ""
    },
    footerHeading = "%n",
    footer = Main.SETTINGS_HELP)
final class ServeCommand implements Callable<Integer> {
  /** Starts the engine and blocks until it terminates. */
  @FunctionalInterface
  interface Server {
    void serve(Config config) throws Exception;
  }

  @Spec private CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "HTTP port, 0..65535 (overrides LEADCREDITS_HTTP_PORT; default 8080)")
  private Integer port;

  @Option(
      names = "--host",
      paramLabel = "H",
      description = "interface to listen on (overrides LEADCREDITS_HTTP_HOST; default 0.0.0.0)")
  private String host;

  @Option(
      names = "--data-dir",
      paramLabel = "D",
      description =
          "data directory, relative to the working directory (overrides LEADCREDITS_DATA_DIR;"
              + " default ./data)")
  private Path dataDir;

  @Option(
      names = "--engine",
      paramLabel = "E",
      description =
          "actors (default), or a benchmark baseline: locks (SELECT … FOR UPDATE per request) or"
              + " sql (one conditional statement per request) (overrides LEADCREDITS_ENGINE)")
  private String engine;

  @Option(
      names = "--cluster-host",
      paramLabel = "H",
      description =
          "address other nodes reach this one at (overrides LEADCREDITS_CLUSTER_HOST; default"
              + " 127.0.0.1)")
  private String clusterHost;

  @Option(
      names = "--cluster-port",
      paramLabel = "N",
      description =
          "cluster port, 0..65535; fixed when --seed-nodes is given (overrides"
              + " LEADCREDITS_CLUSTER_PORT; default 0: any free port)")
  private Integer clusterPort;

  @Option(
      names = "--seed-nodes",
      paramLabel = "LIST",
      description =
          "host:port,host:port of the nodes to join, the same on every node (overrides"
              + " LEADCREDITS_SEED_NODES; default none: a single node)")
  private String seedNodes;

  private final Server server;

  ServeCommand(Server server) {
    this.server = server;
  }

  @Override
  public Integer call() throws Exception {
    Config config = Configs.load(flagOverrides());
    Settings.fromConfig(config); // a bad setting stops here, before anything starts
    server.serve(config);
    return 0;
  }

  private Map<String, Object> flagOverrides() {
    Map<String, Object> overrides = new HashMap<>();
    if (port != null) {
      if (port < 0 || port > 65535) {
        throw new ParameterException(spec.commandLine(), "--port must be 0..65535: " + port);
      }
      overrides.put("leadcredits.http.port", port);
    }
    if (host != null) {
      if (host.isBlank()) {
        throw new ParameterException(spec.commandLine(), "--host must not be empty");
      }
      overrides.put("leadcredits.http.host", host);
    }
    if (dataDir != null) {
      overrides.put("leadcredits.data-dir", dataDir.toString());
    }
    if (clusterHost != null) {
      overrides.put("leadcredits.cluster.host", clusterHost);
    }
    if (clusterPort != null) {
      overrides.put("leadcredits.cluster.port", clusterPort);
    }
    if (seedNodes != null) {
      overrides.put("leadcredits.cluster.seed-nodes", seedNodes);
    }
    if (engine != null) {
      try {
        overrides.put("leadcredits.engine", EngineKind.parse(engine).label());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--engine must be actors, locks or sql");
      }
    }
    return overrides;
  }
}
