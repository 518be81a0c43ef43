package io.leadcredits.client.model;

import java.time.Instant;
import java.util.List;

/**
 * A lead: its own price ({@code creditCost}; 0 when the price list gives its base), its slots and
 * who took them, and what the price list prices it by.
 */
public record Lead(
    String leadId,
    long creditCost,
    int maxClaims,
    String status,
    List<LeadClaim> claims,
    Instant expiresAt,
    long version,
    String category,
    String region,
    String jobSize) {}
