package io.leadcredits.client.model;

import java.time.Instant;

/**
 * A hold made: the account after it, the hold's id and when it expires ({@code null} when a repeat
 * answers for a hold that has ended since).
 */
public record Reservation(
    String accountId,
    long balance,
    long reserved,
    long available,
    long version,
    String holdId,
    Instant expiresAt) {}
