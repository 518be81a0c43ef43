package io.leadcredits.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A lead to create; without {@code leadId} the client's idempotency key names it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewLead(String leadId, long creditCost, int maxClaims, Instant expiresAt) {
  public static NewLead of(String leadId, long creditCost, int maxClaims) {
    return new NewLead(leadId, creditCost, maxClaims, null);
  }
}
