package io.leadcredits.webhook;

import io.leadcredits.feed.FeedEvent;
import java.time.Instant;

/**
 * A delivery row the dispatcher writes with its page: an event it did not deliver at its first
 * attempt (or did not try: {@code attempts} 0, {@code lastStatusCode} and {@code lastAttemptAt}
 * null), left to the deliverer's retries, or one that ended failed. {@code nextAttemptAt} is when a
 * pending one is due.
 */
public record NewDelivery(
    String endpointId,
    FeedEvent event,
    byte[] body,
    Delivery.Status status,
    int attempts,
    Integer lastStatusCode,
    Instant lastAttemptAt,
    Instant nextAttemptAt,
    boolean gone) {}
