package io.leadcredits.client.model;

import java.util.List;
import java.util.Map;

/**
 * An account as {@code GET /api/accounts/{id}} shows it: its balances, open holds, live grants and
 * what it holds of each category ({@code paid}, {@code promotional}).
 */
public record Account(
    String accountId,
    long balance,
    long reserved,
    long available,
    List<Hold> holds,
    long version,
    List<Grant> grants,
    Map<String, Long> byCategory) {}
