package io.leadcredits.webhook;

import java.time.Instant;

/**
 * One event owed to one endpoint: PENDING until a 2xx answers it (DELIVERED) or the retries give up
 * or the endpoint answered 410 (FAILED). {@code lastStatusCode} is null when the last attempt got
 * no answer (refused, timed out); the instants are null before the first attempt and {@code
 * nextAttemptAt} is null once the delivery has ended.
 */
public record Delivery(
    String eventId,
    String type,
    Status status,
    int attempts,
    Integer lastStatusCode,
    Instant lastAttemptAt,
    Instant nextAttemptAt) {

  public enum Status {
    PENDING,
    DELIVERED,
    FAILED
  }
}
