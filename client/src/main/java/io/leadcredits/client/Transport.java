package io.leadcredits.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sends one call of the API and reads its answer, trying again as the {@link RetryPolicy} allows. A
 * call that changes something carries its idempotency key on every attempt, so a retry after a lost
 * answer is applied at most once by the service.
 */
final class Transport {
  static final ObjectMapper json =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final URI base;
  private final Supplier<String> token;
  private final HttpClient http;
  private final Duration timeout;
  private final RetryPolicy retry;

  /** Sees every answer before it is read: this library's tests judge each by the API document. */
  private final Consumer<HttpResponse<byte[]>> answered;

  Transport(
      URI base, Supplier<String> token, HttpClient http, Duration timeout, RetryPolicy retry) {
    this(base, token, http, timeout, retry, r -> {});
  }

  Transport(
      URI base,
      Supplier<String> token,
      HttpClient http,
      Duration timeout,
      RetryPolicy retry,
      Consumer<HttpResponse<byte[]>> answered) {
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.token = token;
    this.http = http;
    this.timeout = timeout;
    this.retry = retry;
    this.answered = answered;
  }

  /** One request: method, path (segments already encoded), body, and how it may be retried. */
  record Call(
      String method,
      String path,
      Object body,
      String idempotencyKey,
      boolean idempotent,
      Duration longPoll,
      String accept) {
    static Call read(String path) {
      return new Call("GET", path, null, null, true, Duration.ZERO, null);
    }

    static Call write(String method, String path, Object body, String idempotencyKey) {
      return new Call(method, path, body, idempotencyKey, true, Duration.ZERO, null);
    }

    /** A call the service cannot recognise as a repeat: retried only when it was refused. */
    static Call once(String method, String path, Object body) {
      return new Call(method, path, body, null, false, Duration.ZERO, null);
    }

    Call waitingUpTo(Duration longPoll) {
      return new Call(method, path, body, idempotencyKey, idempotent, longPoll, accept);
    }

    /** The same call asking for {@code mediaType} (problems still come as problem+json). */
    Call accepting(String mediaType) {
      return new Call(
          method,
          path,
          body,
          idempotencyKey,
          idempotent,
          longPoll,
          mediaType + ", application/problem+json");
    }
  }

  <T> T call(Call call, Class<T> answer) {
    return call(call, json.constructType(answer));
  }

  <T> T call(Call call, JavaType answer) {
    byte[] body = send(call);
    if (body.length == 0 || answer.getRawClass() == Void.class) {
      return null;
    }
    try {
      return json.readValue(body, answer);
    } catch (IOException e) {
      throw new IllegalStateException(
          "the service's answer to " + call.method() + " " + call.path() + " did not parse", e);
    }
  }

  /** The call's answer as text, for what is not JSON (the metrics). */
  String text(Call call) {
    return new String(send(call), StandardCharsets.UTF_8);
  }

  byte[] send(Call call) {
    long deadline = System.nanoTime() + retry.budget().toNanos();
    for (int attempt = 1; ; attempt++) {
      Duration retryAfter;
      RuntimeException failure;
      try {
        return attempt(call);
      } catch (ProblemException problem) {
        if (!RetryPolicy.retried(problem)) {
          throw problem;
        }
        failure = problem;
        retryAfter = problem.retryAfter().orElse(null);
      } catch (IOException e) {
        if (!call.idempotent()) {
          throw new UncheckedIOException(e);
        }
        failure = new UncheckedIOException(e);
        retryAfter = null;
      }
      Duration pause = retry.backoff(attempt, retryAfter);
      if (attempt >= retry.maxAttempts() || System.nanoTime() + pause.toNanos() > deadline) {
        throw failure;
      }
      sleep(pause);
    }
  }

  private byte[] attempt(Call call) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(call.path()))
            .timeout(timeout.plus(call.longPoll()))
            .header(
                "Accept",
                call.accept() != null
                    ? call.accept()
                    : "application/json, application/problem+json, text/plain;q=0.5");
    String bearer = token.get();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (call.idempotencyKey() != null) {
      request.header("Idempotency-Key", call.idempotencyKey());
    }
    if (call.body() == null) {
      request.method(
          call.method(),
          call.method().equals("GET") || call.method().equals("DELETE")
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString("{}"));
    } else {
      request.method(
          call.method(),
          HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(call.body())));
    }
    if (!call.method().equals("GET") && !call.method().equals("DELETE") || call.body() != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    answered.accept(response);
    byte[] body = response.body();
    if (response.statusCode() / 100 == 2) {
      return body;
    }
    throw problem(
        response.statusCode(), body, response.headers().firstValue("Retry-After").orElse(null));
  }

  private static ProblemException problem(int status, byte[] body, String retryAfter) {
    JsonNode node;
    try {
      node = body.length == 0 ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      node = json.createObjectNode().put("detail", new String(body, StandardCharsets.UTF_8));
    }
    if (node == null || !node.isObject()) {
      node = json.createObjectNode();
    }
    return ProblemException.of(
        status,
        node.path("code").asText("HTTP_" + status),
        node.path("title").asText(""),
        node.path("detail").asText(""),
        seconds(retryAfter),
        node);
  }

  private static Duration seconds(String retryAfter) {
    if (retryAfter == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim())));
    } catch (NumberFormatException e) {
      return null; // an HTTP date: the client's own backoff is used instead
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry", e);
    }
  }

  /** One path segment, percent-encoded. */
  static String segment(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("an id must not be empty");
    }
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String query(String name, Object value) {
    return name + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
  }
}
