package io.leadcredits.client.model;

/**
 * An account's alert settings: below {@code lowBalanceThreshold} a fall of its available credits is
 * announced as {@code balance.low} (0: off).
 */
public record Alerts(String accountId, long lowBalanceThreshold) {}
