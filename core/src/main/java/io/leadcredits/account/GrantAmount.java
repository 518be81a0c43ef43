package io.leadcredits.account;

/** An amount taken from (or earmarked on) one grant by a debit, a reservation or a capture. */
public record GrantAmount(String grantId, long amount) {}
