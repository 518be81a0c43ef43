package io.leadcredits.client.model;

import java.time.Instant;
import java.util.List;

/** A registered webhook endpoint; {@code secret} only in the answer that created it. */
public record Webhook(
    String id,
    String url,
    List<String> types,
    String description,
    String status,
    Instant createdAt,
    String secret) {}
