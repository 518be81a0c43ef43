package io.leadcredits.client.model;

import java.time.Instant;

/**
 * A live grant of an account: {@code remaining} may be spent, {@code earmarked} is held by open
 * reservations. {@code ~legacy} holds what the account had before grants.
 */
public record Grant(
    String grantId,
    String category,
    long granted,
    long remaining,
    long earmarked,
    Instant expiresAt,
    int priority,
    Instant createdAt) {}
