package io.leadcredits.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on a real socket (the JDK's HTTP server on loopback): records every request it
 * gets and answers with the status its behaviour picks from the event id and how many times that id
 * came before. It checks signatures with its own HMAC, written here and not taken from the service.
 * A counting receiver ({@link #counting()}, for the benchmark) keeps only the event ids it got.
 */
public final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper json = new ObjectMapper();

  /** One request as received. */
  public record Received(
      String id,
      String timestamp,
      String signature,
      byte[] body,
      long receivedAtSeconds,
      long receivedAtNanos) {
    public JsonNode event() {
      try {
        return json.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Whether the signature is Standard Webhooks' over these bytes, keyed with {@code secret}. */
    public boolean signedWith(String secret) {
      String expected = "v1," + hmac(secret, id + "." + timestamp + ".", body);
      for (String candidate : signature.split(" ")) {
        if (candidate.equals(expected)) {
          return true;
        }
      }
      return false;
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final List<long[]> firstReceipts =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final BiFunction<String, Integer, Integer> behaviour;
  private final boolean keepRequests;
  private final AtomicLong badSignatures = new AtomicLong();
  private volatile String secret;

  /** Answers 200 to everything. */
  public static WebhookReceiver accepting() {
    return new WebhookReceiver(0, (id, before) -> 200);
  }

  /**
   * Answers 200 to every request signed with the secret given to {@link #verifyWith} and keeps only
   * the ids and how often each came ({@link #ids}, {@link #requests}), not the requests: light
   * enough to take a benchmark's every event.
   */
  public static WebhookReceiver counting() {
    return new WebhookReceiver(0, (id, before) -> 200, false);
  }

  /**
   * {@code behaviour} gets the event id and the requests with that id before this one and answers
   * the status; {@code port} 0 is any free port.
   */
  public WebhookReceiver(int port, BiFunction<String, Integer, Integer> behaviour) {
    this(port, behaviour, true);
  }

  private WebhookReceiver(
      int port, BiFunction<String, Integer, Integer> behaviour, boolean keepRequests) {
    this.behaviour = behaviour;
    this.keepRequests = keepRequests;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String id = exchange.getRequestHeaders().getFirst("webhook-id");
          requests.incrementAndGet();
          if (!keepRequests && !signedBySecret(exchange, id, body)) {
            // As a marketplace's receiver would: unsigned is not received, and is sent again.
            badSignatures.incrementAndGet();
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
          }
          if (keepRequests) {
            received.add(
                new Received(
                    id,
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"),
                    body,
                    System.currentTimeMillis() / 1000,
                    System.nanoTime()));
          }
          int before =
              seen.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger()).getAndIncrement();
          if (!keepRequests && before == 0) {
            firstReceipts.add(new long[] {eventMillis(body), System.currentTimeMillis()});
          }
          exchange.sendResponseHeaders(behaviour.apply(id, before), -1);
          exchange.close();
        });
    server.start();
  }

  /**
   * Of a counting receiver: the endpoint's secret, which every request's signature is checked
   * against from now on (with this class's own HMAC); a request that fails the check, or comes
   * before the secret is known, is answered 401 and not counted as received.
   */
  public void verifyWith(String secret) {
    this.secret = secret;
  }

  /** Of a counting receiver: requests answered 401 for a signature that did not verify. */
  public long badSignatures() {
    return badSignatures.get();
  }

  private boolean signedBySecret(
      com.sun.net.httpserver.HttpExchange exchange, String id, byte[] body) {
    String key = secret;
    String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
    String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
    if (key == null || id == null || timestamp == null || signature == null) {
      return false;
    }
    return new Received(id, timestamp, signature, body, 0, 0).signedWith(key);
  }

  public String url() {
    return "http://127.0.0.1:" + port() + "/hooks";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  /** The distinct event ids (the {@code webhook-id} header) received so far. */
  public Set<String> ids() {
    return Set.copyOf(seen.keySet());
  }

  /** Every request received so far, repeats included. */
  public long requests() {
    return requests.get();
  }

  /**
   * Of a counting receiver: for each event, the event's own time and when its first request came,
   * both epoch milliseconds ({@code [eventMillis, receivedMillis]}); -1 for an event without a
   * readable {@code timestamp}. How long each change took to reach this receiver.
   */
  public List<long[]> firstReceipts() {
    synchronized (firstReceipts) {
      return new ArrayList<>(firstReceipts);
    }
  }

  /**
   * The event's {@code timestamp} (the first one in the body: the event's own, ahead of its data),
   * found by hand: a benchmark's receiver should not spend its CPU parsing every body.
   */
  private static long eventMillis(byte[] body) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    String key = "\"timestamp\":\"";
    int from = text.indexOf(key);
    int to = from < 0 ? -1 : text.indexOf('"', from + key.length());
    if (to < 0) {
      return -1;
    }
    try {
      return java.time.Instant.parse(text.substring(from + key.length(), to)).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      return -1;
    }
  }

  /** The requests whose event is about {@code subject}. */
  public List<Received> about(String subject) {
    List<Received> mine = new ArrayList<>();
    for (Received r : received) {
      if (r.event().get("subject").asText().equals(subject)) {
        mine.add(r);
      }
    }
    return mine;
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  /** One per thread: a receiver checks every request, and the lookup costs more than the HMAC. */
  private static final ThreadLocal<Mac> macs =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          });

  /** Base64 HMAC-SHA256 of {@code prefix} then {@code body}, keyed with the secret's bytes. */
  static String hmac(String secret, String prefix, byte[] body) {
    if (!secret.startsWith("whsec_")) {
      throw new IllegalArgumentException("a Standard Webhooks secret starts with whsec_");
    }
    try {
      Mac mac = macs.get();
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
      mac.update(prefix.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
