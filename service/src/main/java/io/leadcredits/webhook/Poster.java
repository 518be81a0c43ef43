package io.leadcredits.webhook;

import io.leadcredits.Limits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * POSTs one event to one endpoint with its Standard Webhooks headers, on the JDK's asynchronous
 * {@code HttpClient}: the attempt of the dispatcher's first try and of the deliverer's retries
 * alike, one client (and one connection pool) for both.
 */
final class Poster {
  /** The status of an answer and its {@code Retry-After}; {@link RetryPolicy#NO_ANSWER}: none. */
  record Answer(int status, String retryAfter) {
    static final Answer NONE = new Answer(RetryPolicy.NO_ANSWER, null);
  }

  private final Clock clock;
  private final HttpClient client;

  Poster(Executor executor, Clock clock) {
    this.clock = clock;
    // Redirects are not followed: a redirect could lead to an address the URL check refused.
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Limits.webhookAttemptTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
  }

  /** The answer; {@link Answer#NONE} when there was none (refused, reset, timed out). */
  CompletableFuture<Answer> post(String url, String secret, String eventId, byte[] body) {
    long seconds = clock.instant().getEpochSecond();
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Limits.webhookAttemptTimeout)
              .header("Content-Type", "application/json")
              .header("webhook-id", eventId)
              .header("webhook-timestamp", Long.toString(seconds))
              .header("webhook-signature", Signatures.sign(secret, eventId, seconds, body))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
    } catch (IllegalArgumentException e) {
      // Not sendable (the URL was checked when made, so hardly ever): a failed attempt, retried.
      return CompletableFuture.completedFuture(Answer.NONE);
    }
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, failure) ->
                failure != null
                    ? Answer.NONE
                    : new Answer(
                        response.statusCode(),
                        response.headers().firstValue("Retry-After").orElse(null)));
  }
}
