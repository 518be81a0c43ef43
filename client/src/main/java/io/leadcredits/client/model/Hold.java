package io.leadcredits.client.model;

import java.time.Instant;

/** A reservation still holding credits on an account. */
public record Hold(String holdId, long amount, Instant expiresAt) {}
