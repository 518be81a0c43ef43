package io.leadcredits.client.model;

/** An account right after a change: a credit, a debit, a capture or a release. */
public record AccountChange(
    String accountId, long balance, long reserved, long available, long version) {}
