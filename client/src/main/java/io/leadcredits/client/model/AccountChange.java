package io.leadcredits.client.model;

/**
 * An account right after a change: a credit, a debit, a capture, a release or a void; {@code
 * grantId} names the grant a top-up made or a void ended (null for the others).
 */
public record AccountChange(
    String accountId, long balance, long reserved, long available, long version, String grantId) {}
