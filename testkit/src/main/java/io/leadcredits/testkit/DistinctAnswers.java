package io.leadcredits.testkit;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The distinct answers a {@link WireClient} received, kept so that they can be judged by the
 * OpenAPI document after the load is over: judging on the client's selector thread would block it
 * and change what a flood measures. An answer is kept as far as the document constrains it (status,
 * Content-Type, the headers responses describe, body); answers alike in all of that are kept once
 * and counted, so a flood's refusals, the same bytes again and again, take one entry. Memory is
 * bounded: at most {@code perRoute} distinct answers per method, path and status, and at most
 * {@code routesMax} of those; what is beyond is counted, not kept.
 */
public final class DistinctAnswers {
  /** One kept answer and how often it came. */
  public record Kept(Contract.Exchange exchange, long times) {}

  private record Shape(
      String method, String target, int status, Map<String, List<String>> headers, String body) {}

  private final Set<String> headerNames = new HashSet<>();
  private final int perRoute;
  private final int routesMax;
  private final Map<String, Map<Shape, long[]>> routes = new LinkedHashMap<>();
  private long received;
  private long beyond;

  /**
   * Keeps, of each answer's head, Content-Type and the headers named (in any case), at most {@code
   * perRoute} distinct answers per method, path and status, for at most {@code routesMax} of these.
   */
  public DistinctAnswers(Collection<String> headerNames, int perRoute, int routesMax) {
    if (perRoute < 1 || routesMax < 1) {
      throw new IllegalArgumentException("keeps at least one answer");
    }
    for (String name : headerNames) {
      this.headerNames.add(name.toLowerCase(Locale.ROOT));
    }
    this.headerNames.add("content-type");
    this.perRoute = perRoute;
    this.routesMax = routesMax;
  }

  /**
   * Keeps what {@code contract} constrains: 8 distinct answers per route and status, 256 routes.
   */
  public static DistinctAnswers of(Contract contract) {
    return new DistinctAnswers(contract.responseHeaders(), 8, 256);
  }

  /**
   * One complete answer, on the client's selector thread: {@code head} holds the status line and
   * headers up to {@code headEnd} (where the blank line starts). Copies what it keeps, since the
   * client reuses its buffers.
   */
  synchronized void record(byte[] request, byte[] head, int headEnd, int status, byte[] body) {
    received++;
    String requestLine = requestLine(request);
    int space = requestLine.indexOf(' ');
    int end = requestLine.indexOf(' ', space + 1);
    String method = requestLine.substring(0, Math.max(space, 0));
    String target = requestLine.substring(space + 1, end < 0 ? requestLine.length() : end);
    int query = target.indexOf('?');
    String route = method + " " + (query < 0 ? target : target.substring(0, query)) + " " + status;
    Map<Shape, long[]> kept = routes.get(route);
    if (kept == null) {
      if (routes.size() >= routesMax) {
        beyond++;
        return;
      }
      kept = new LinkedHashMap<>();
      routes.put(route, kept);
    }
    Shape shape =
        new Shape(
            method,
            target,
            status,
            headers(head, headEnd),
            new String(body, StandardCharsets.UTF_8));
    long[] times = kept.get(shape);
    if (times != null) {
      times[0]++;
    } else if (kept.size() < perRoute) {
      kept.put(shape, new long[] {1});
    } else {
      beyond++;
    }
  }

  private static String requestLine(byte[] request) {
    int end = 0;
    while (end < request.length && request[end] != '\r') {
      end++;
    }
    return new String(request, 0, end, StandardCharsets.US_ASCII);
  }

  private Map<String, List<String>> headers(byte[] head, int headEnd) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    String text = new String(head, 0, headEnd, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        String name = lines[i].substring(0, colon).strip();
        if (headerNames.contains(name.toLowerCase(Locale.ROOT))) {
          headers
              .computeIfAbsent(name, k -> new ArrayList<>())
              .add(lines[i].substring(colon + 1).strip());
        }
      }
    }
    return headers;
  }

  /** The distinct answers kept, in the order they first came. */
  public synchronized List<Kept> kept() {
    List<Kept> all = new ArrayList<>();
    for (Map<Shape, long[]> kept : routes.values()) {
      kept.forEach((shape, times) -> all.add(new Kept(exchange(shape), times[0])));
    }
    return all;
  }

  /** Complete answers received, kept or not. */
  public synchronized long received() {
    return received;
  }

  /** Answers neither kept nor alike one kept: beyond the bounds, so not judged. */
  public synchronized long beyondBounds() {
    return beyond;
  }

  /** Every kept answer {@code contract} does not allow, as its violation message; empty if none. */
  public List<String> violations(Contract contract) {
    Set<String> found = new LinkedHashSet<>();
    for (Kept k : kept()) {
      try {
        contract.check(k.exchange());
      } catch (Contract.Violation v) {
        found.add(v.getMessage() + " (" + k.times() + " times)");
      }
    }
    return new ArrayList<>(found);
  }

  /**
   * Throws a {@link Contract.Violation} naming every kept answer {@code contract} does not allow.
   */
  public void check(Contract contract) {
    List<String> found = violations(contract);
    if (!found.isEmpty()) {
      throw new Contract.Violation(
          found.size()
              + " distinct answers the document does not allow:\n"
              + String.join("\n", found));
    }
  }

  private static Contract.Exchange exchange(Shape shape) {
    String type = null;
    for (Map.Entry<String, List<String>> h : shape.headers().entrySet()) {
      if (h.getKey().equalsIgnoreCase("Content-Type")) {
        type = h.getValue().get(0);
      }
    }
    return new Contract.Exchange(
        shape.method(),
        URI.create(shape.target()),
        shape.status(),
        type,
        shape.headers(),
        shape.body());
  }
}
