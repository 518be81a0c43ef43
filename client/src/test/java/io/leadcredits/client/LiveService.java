package io.leadcredits.client;

import io.leadcredits.EngineKind;
import io.leadcredits.auth.Role;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Contract;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/** A running service and clients of it signed in as an admin or as a tradie. */
final class LiveService implements AutoCloseable {
  final RunningService service;

  LiveService(Path dataDir) {
    service =
        new RunningService(
            dataDir, EngineKind.ACTORS, Map.of("leadcredits.webhooks.allow-private", true));
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + service.engine().httpPort());
  }

  LeadCredits admin() {
    return builder().token(service.admin()).build();
  }

  LeadCredits tradie(String accountId) {
    return builder().token(service.token(accountId, Role.TRADIE)).build();
  }

  /** A client whose every answer is judged by the service's OpenAPI document, as HttpApi's are. */
  LeadCredits.Builder builder() {
    return LeadCredits.builder(uri()).answered(judged());
  }

  /**
   * The client's hook judging each answer it receives by the service's OpenAPI document: a live
   * service's, or a stub's that answers as the service would.
   */
  static Consumer<HttpResponse<byte[]>> judged() {
    Contract contract = Contract.fromClassPath().orElseThrow();
    return r ->
        contract.check(
            new Contract.Exchange(
                r.request().method(),
                r.request().uri(),
                r.statusCode(),
                r.headers().firstValue("Content-Type").orElse(null),
                r.headers().map(),
                new String(r.body(), StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    service.close();
  }
}
