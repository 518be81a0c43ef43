package io.leadcredits.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A lead to create; without {@code leadId} the client's idempotency key names it. Without {@code
 * creditCost} the price list in force gives its base, by {@code category}; {@code region} and
 * {@code jobSize} ({@code SMALL}, {@code MEDIUM}, {@code LARGE}) are priced by the list too.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewLead(
    String leadId,
    Long creditCost,
    int maxClaims,
    Instant expiresAt,
    String category,
    String region,
    String jobSize) {
  public static NewLead of(String leadId, long creditCost, int maxClaims) {
    return new NewLead(leadId, creditCost, maxClaims, null, null, null, null);
  }
}
