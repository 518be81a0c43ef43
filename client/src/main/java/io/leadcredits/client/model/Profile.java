package io.leadcredits.client.model;

/** A tradie's pricing profile: the tier the price list's {@code tiers} multiply by (or null). */
public record Profile(String accountId, String tier) {}
