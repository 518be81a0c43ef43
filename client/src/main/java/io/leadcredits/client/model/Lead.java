package io.leadcredits.client.model;

import java.time.Instant;
import java.util.List;

/** A lead: its price, its slots and who took them. */
public record Lead(
    String leadId,
    long creditCost,
    int maxClaims,
    String status,
    List<LeadClaim> claims,
    Instant expiresAt,
    long version) {}
