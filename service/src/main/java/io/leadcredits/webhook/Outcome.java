package io.leadcredits.webhook;

import io.leadcredits.sink.DeliveryResult;
import java.time.Instant;

/**
 * What became of an attempt: {@code status} its answer ({@link RetryPolicy#NO_ANSWER}: none),
 * {@code result} what that means, made {@code at}, and {@code next} when to try again (for
 * RETRYING, else null).
 */
public record Outcome(
    Attempt attempt, int status, DeliveryResult result, Instant at, Instant next) {}
