package io.leadcredits.pricing;

/**
 * What a price depends on besides the list: the lead's own cost (0: none, the list gives the base),
 * its category, region and job size, the tradie's tier, and the slots already taken on the lead
 * (pending or confirmed) when the claim takes its own. Any of the names may be null.
 */
public record PriceInputs(
    long leadCost, String category, String region, JobSize jobSize, String tier, int claimsTaken) {}
