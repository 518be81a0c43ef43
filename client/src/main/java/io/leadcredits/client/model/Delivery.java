package io.leadcredits.client.model;

import java.time.Instant;

/** One event's delivery to an endpoint, as its latest attempt left it. */
public record Delivery(
    String eventId,
    String type,
    String status,
    int attempts,
    Integer lastStatusCode,
    Instant lastAttemptAt,
    Instant nextAttemptAt) {}
