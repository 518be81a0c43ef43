package io.leadcredits.bench;

import io.leadcredits.EngineKind;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.OperationLog;
import io.leadcredits.testkit.ServiceProcess;
import io.leadcredits.testkit.Tokens;
import io.leadcredits.testkit.WireClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A fresh database of one run and the nodes of one engine started on it; closing stops the nodes,
 * deletes their data directories and drops the database, so a run leaves nothing behind.
 */
final class PreparedService implements AutoCloseable {
  private final BenchDatabase database;
  private final Tokens tokens;
  private final BenchOptions options;
  private final EngineKind engine;
  private final int pool;
  private final String db;
  private final String url;
  private final List<ServiceProcess> nodes = new ArrayList<>();
  private final List<Path> dataDirs = new ArrayList<>();

  /**
   * Creates the database {@code name}, lower-cased with every character outside [a-z0-9_] made
   * {@code _}; {@code pool} is a baseline's connection pool (0: the engine has none).
   */
  PreparedService(
      BenchDatabase database,
      Tokens tokens,
      BenchOptions options,
      EngineKind engine,
      int pool,
      String name)
      throws SQLException {
    this.database = database;
    this.tokens = tokens;
    this.options = options;
    this.engine = engine;
    this.pool = pool;
    this.db = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    this.url = database.create(db);
  }

  /** The database's name. */
  String db() {
    return db;
  }

  /** The nodes started so far, the first first. */
  List<ServiceProcess> nodes() {
    return List.copyOf(nodes);
  }

  /**
   * Starts a node with the benchmark's JVM flags ({@link BenchOptions#serviceJvmFlags()}) and
   * {@code serve} flags after the engine, on the database, and waits until it is ready. The
   * caller's {@code LEADCREDITS_*} settings reach it, under the run's own and {@code more}.
   */
  ServiceProcess start(Path log, List<String> flags, Map<String, String> more) throws IOException {
    Files.deleteIfExists(log); // one run's output per log
    Path dataDir = Files.createTempDirectory("leadcredits-bench-data");
    dataDirs.add(dataDir);
    List<String> serveFlags = new ArrayList<>(List.of("--engine", engine.label()));
    serveFlags.addAll(flags);
    Map<String, String> env = new HashMap<>(more);
    env.put("LEADCREDITS_DB_URL", url);
    env.put("LEADCREDITS_DB_USER", database.user());
    env.put("LEADCREDITS_DB_PASSWORD", database.password());
    if (pool > 0) {
      // Set for every baseline run, so the report's pool is the one the run had.
      env.put("LEADCREDITS_BASELINE_POOL_SIZE", Integer.toString(pool));
    }
    ServiceProcess node =
        ServiceProcess.start(
            ServiceProcess.Launch.of(dataDir, tokens, log)
                .serveFlags(serveFlags)
                .env(env)
                .jvmOptions(options.serviceJvmFlags())
                .inheritingSettings());
    nodes.add(node);
    return node;
  }

  /** A context for seeding and load through the first node, with an empty operation log. */
  BenchContext context() {
    HttpApi api = new HttpApi(nodes.get(0).base(), tokens, WireClient.REQUEST_TIMEOUT);
    return new BenchContext(api, new OperationLog(), options.clients(), options.quick());
  }

  @Override
  public void close() throws IOException {
    for (ServiceProcess node : nodes) {
      node.close();
    }
    for (Path dir : dataDirs) {
      Files.deleteIfExists(dir.resolve("jwt-secret"));
      Files.deleteIfExists(dir);
    }
    database.drop(db);
  }
}
