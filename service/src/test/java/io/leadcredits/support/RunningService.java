package io.leadcredits.support;

import io.leadcredits.EngineKind;
import io.leadcredits.auth.Role;
import io.leadcredits.service.Configs;
import io.leadcredits.service.Service;
import io.leadcredits.testkit.Contract;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.OperationLog.Operation;
import io.leadcredits.testkit.Reply;
import io.leadcredits.testkit.Request;
import io.leadcredits.testkit.ServiceUnderTest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole service as production starts it ({@link Service#start}), on an embedded PostgreSQL in a
 * directory of the test's, reached over real HTTP. Stop and start it again on the same directory to
 * test what survives a restart. Its {@link #api()} is the same client a service in a child JVM
 * gives ({@link io.leadcredits.testkit.ServiceProcess}).
 */
public final class RunningService implements ServiceUnderTest {
  /** Generous: a test may send hundreds of requests at once to a service on a busy machine. */
  private static final Duration requestTimeout = Duration.ofSeconds(30);

  private final Path dataDir;
  private final EngineKind kind;
  private final Map<String, Object> overrides;
  private Service engine;
  private HttpApi api;

  public RunningService(Path dataDir) {
    this(dataDir, EngineKind.ACTORS);
  }

  /** The service with the given engine behind the same HTTP API. */
  public RunningService(Path dataDir, EngineKind kind) {
    this(dataDir, kind, Map.of());
  }

  /** With settings of the test's own on top (an external database, shorter timeouts). */
  public RunningService(Path dataDir, EngineKind kind, Map<String, Object> overrides) {
    this.dataDir = dataDir;
    this.kind = kind;
    this.overrides = Map.copyOf(overrides);
    start();
  }

  public void start() {
    Map<String, Object> settings = new HashMap<>();
    settings.put("leadcredits.engine", kind.label());
    settings.put("leadcredits.data-dir", dataDir.toString());
    settings.put("leadcredits.db.url", "");
    settings.put("leadcredits.http.host", "127.0.0.1");
    settings.put("leadcredits.http.port", 0);
    settings.putAll(overrides);
    engine = Service.start(Configs.load(settings));
    URI base = URI.create("http://127.0.0.1:" + engine.httpPort() + "/");
    api = new HttpApi(base, JwtTokens.of(null, engine.jwt()), requestTimeout, contract(kind));
  }

  /**
   * Every answer is held to the OpenAPI document; a baseline may also answer a route it does not
   * offer as one that does not exist, as the design allows it.
   */
  private static Contract contract(EngineKind kind) {
    Contract contract =
        Contract.fromClassPath()
            .orElseThrow(() -> new IllegalStateException("openapi.json is not on the class path"));
    return kind == EngineKind.ACTORS ? contract : contract.allowingAbsentRoutes();
  }

  public void stop() {
    // A baseline keeps its own pool; close it before the database it points at goes away.
    if (engine.credits() instanceof AutoCloseable baseline) {
      try {
        baseline.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the " + kind.label() + " engine failed", e);
      }
    }
    engine.close();
  }

  @Override
  public void close() {
    stop();
  }

  public Service engine() {
    return engine;
  }

  @Override
  public HttpApi api() {
    return api;
  }

  public String token(String subject, Role role) {
    return engine.jwt().issue(subject, role, Duration.ofHours(1));
  }

  public String admin() {
    return api.admin();
  }

  /** A request; a transport failure is thrown as a {@link CompletionException}. */
  public Reply send(String method, String path, String token, String body) {
    return joined(sendAsync(method, path, token, body, Map.of()));
  }

  /**
   * A request whose body the server refuses unread (over the size limit). The server answers and
   * closes the connection while the client may still be uploading, and the client then sometimes
   * loses the answer to the reset: a transport failure is sent again, an answer is returned as is.
   */
  public Reply sendRefusedBody(String method, String path, String token, String body) {
    for (int attempt = 1; ; attempt++) {
      try {
        return send(method, path, token, body);
      } catch (CompletionException e) {
        if (!(e.getCause() instanceof IOException) || attempt == 5) {
          throw e;
        }
      }
    }
  }

  public Reply send(
      String method, String path, String token, String body, Map<String, String> headers) {
    return joined(sendAsync(method, path, token, body, headers));
  }

  private Reply send(Request request) {
    return joined(api.sendAsync(request, requestTimeout, Map.of()));
  }

  /** The answer; one the OpenAPI document does not allow fails the test as itself. */
  private static Reply joined(CompletableFuture<Reply> reply) {
    try {
      return reply.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Contract.Violation violation) {
        throw violation;
      }
      throw e;
    }
  }

  public CompletableFuture<Reply> sendAsync(
      String method, String path, String token, String body, Map<String, String> headers) {
    return api.sendAsync(new Request(method, path, token, body), requestTimeout, headers);
  }

  // ---- the calls most tests make ------------------------------------------------------------

  public Reply credit(String accountId, long amount, String transactionId) {
    return send(Operation.credit(accountId, transactionId, amount).request(api.tokens()));
  }

  public Reply createLead(String leadId, long cost, int maxClaims) {
    return send(Request.createLead(admin(), leadId, cost, maxClaims));
  }

  public Reply account(String accountId) {
    return send("GET", "/api/accounts/" + accountId, admin(), null);
  }

  public Reply audit() {
    return send("GET", "/api/audit", admin(), null);
  }
}
