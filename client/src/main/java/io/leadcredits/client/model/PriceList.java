package io.leadcredits.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * The price list: price = max(minimum, round(base × region × jobSize × tier × max(floor, 1 +
 * perClaim × claimsTaken))). Every part but the default base is optional (a missing multiplier is
 * 1). {@code version}, {@code changedAt} and {@code changedBy} are the service's, in its answers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PriceList(
    Base base,
    Map<String, BigDecimal> regions,
    Map<String, BigDecimal> jobSizes,
    Map<String, BigDecimal> tiers,
    Competition competition,
    Long minimum,
    String rounding,
    Long version,
    Instant changedAt,
    String changedBy) {
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Base(@JsonProperty("default") long defaultCost, Map<String, Long> categories) {}

  public record Competition(BigDecimal perClaim, BigDecimal floor) {}
}
