package io.leadcredits.webhook;

import java.time.Instant;

/**
 * A due delivery a deliverer has leased to send now: where, with which secret, the event's exact
 * bytes, the attempts made so far and when it was dispatched (retries give up counting from there).
 */
public record Attempt(
    long deliveryId,
    String endpointId,
    String url,
    String secret,
    String eventId,
    byte[] body,
    int attemptsBefore,
    Instant dispatchedAt) {}
