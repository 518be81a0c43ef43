package io.leadcredits.testkit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A proxy in front of a service for clients the testkit does not run itself (the TypeScript
 * client's Node tests): each request is forwarded unchanged, each answer returned unchanged and
 * judged by a {@link Contract} on the way, as {@link HttpApi} judges its own. A mismatch does not
 * change the answer (the client under test must see what the service sent); it is recorded, for the
 * test to fail on once the client's tests have run.
 */
public final class ContractProxy implements AutoCloseable {
  /**
   * Headers of one connection, not of the message (RFC 9110 7.6.1), and those the JDK's client and
   * server set themselves from the message they carry.
   */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length",
          "expect");

  /** One answer the proxy returned and what the document finds wrong with it (empty: nothing). */
  public record Answer(String method, String target, int status, List<String> mismatches) {
    @Override
    public String toString() {
      return method + " " + target + " " + status + (mismatches.isEmpty() ? "" : ": " + mismatches);
    }
  }

  private final Contract contract;
  private final URI upstream;
  private final HttpServer server;
  private final ExecutorService threads;
  private final HttpClient client;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Answer> answers = new CopyOnWriteArrayList<>();

  /**
   * Starts a proxy on a free loopback port forwarding to {@code upstream} (scheme, host and port;
   * the request's path and query are appended) and judging every answer by {@code contract}.
   */
  public ContractProxy(URI upstream, Contract contract) throws IOException {
    this.contract = contract;
    this.upstream = upstream;
    // A thread per request in flight: a long poll of the event feed holds one for its whole wait.
    this.threads = Executors.newCachedThreadPool(daemons());
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(threads)
            .build();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::forward);
    server.start();
  }

  /** Where clients reach the proxy, e.g. {@code http://127.0.0.1:40123}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** How many requests came in so far. */
  public int requests() {
    return requests.get();
  }

  /** Every answer returned so far, each judged before it went back to its client. */
  public List<Answer> answers() {
    return List.copyOf(answers);
  }

  /** The answers the document does not allow. */
  public List<Answer> violations() {
    return answers.stream().filter(a -> !a.mismatches().isEmpty()).toList();
  }

  private void forward(HttpExchange in) throws IOException {
    requests.incrementAndGet();
    String method = in.getRequestMethod();
    String target = in.getRequestURI().getRawPath();
    if (in.getRequestURI().getRawQuery() != null) {
      target += "?" + in.getRequestURI().getRawQuery();
    }
    try (in) {
      byte[] body = in.getRequestBody().readAllBytes();
      URI uri = upstream.resolve(target);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .method(
                  method,
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      in.getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                  values.forEach(v -> request.header(name, v));
                }
              });
      HttpResponse<byte[]> answer;
      try {
        answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        answers.add(new Answer(method, target, 502, List.of("the service did not answer: " + e)));
        in.sendResponseHeaders(502, -1);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        in.sendResponseHeaders(502, -1);
        return;
      }
      // Judged before it goes back: once the client has its answer, the proxy has its verdict.
      answers.add(new Answer(method, target, answer.statusCode(), judge(method, uri, answer)));
      Headers out = in.getResponseHeaders();
      answer
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                  out.put(name, new ArrayList<>(values));
                }
              });
      byte[] bytes = answer.body();
      boolean bodiless =
          bytes.length == 0
              || method.equalsIgnoreCase("HEAD")
              || answer.statusCode() == 204
              || answer.statusCode() == 304;
      in.sendResponseHeaders(answer.statusCode(), bodiless ? -1 : bytes.length);
      if (!bodiless) {
        try (OutputStream o = in.getResponseBody()) {
          o.write(bytes);
        }
      }
    }
  }

  private List<String> judge(String method, URI uri, HttpResponse<byte[]> answer) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(answer.headers().map());
    if (headers.containsKey("Content-Encoding")) {
      // The service sends no encoded bodies; were it to, this proxy could not read what it judges.
      return List.of(
          "an encoded body (" + headers.get("Content-Encoding") + ") the proxy cannot judge");
    }
    try {
      return contract.mismatches(
          new Contract.Exchange(
              method,
              uri,
              answer.statusCode(),
              answer.headers().firstValue("Content-Type").orElse(null),
              headers,
              new String(answer.body(), StandardCharsets.UTF_8)));
    } catch (RuntimeException e) {
      return List.of("the validator failed: " + e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemons() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "contract-proxy-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
