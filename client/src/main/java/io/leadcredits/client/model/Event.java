package io.leadcredits.client.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An event of the feed. {@code id} is the same for the same change on every delivery and replay:
 * deduplicate on it. {@code cursor} resumes the feed right after this event.
 */
public record Event(
    String id,
    String type,
    Instant timestamp,
    String subject,
    long sequenceNr,
    String cursor,
    JsonNode data) {}
