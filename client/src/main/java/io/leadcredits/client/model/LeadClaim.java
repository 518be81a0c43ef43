package io.leadcredits.client.model;

import java.time.Instant;

/** A slot of a lead taken by a tradie. */
public record LeadClaim(String tradieId, String claimId, Instant at) {}
