package io.leadcredits.client.model;

import java.time.Instant;
import java.util.Map;

/** One entry of an account's transaction trail. */
public record TrailItem(
    String transactionId,
    String type,
    long amount,
    long balanceBefore,
    long balanceAfter,
    long reservedBefore,
    long reservedAfter,
    Instant at,
    Map<String, Object> metadata) {}
