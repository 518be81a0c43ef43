package io.leadcredits.client.model;

import java.util.List;

/** An account as {@code GET /api/accounts/{id}} shows it. */
public record Account(
    String accountId,
    long balance,
    long reserved,
    long available,
    List<Hold> holds,
    long version) {}
