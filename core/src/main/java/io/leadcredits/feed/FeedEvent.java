package io.leadcredits.feed;

import java.time.Instant;
import java.util.Map;

/**
 * One change the ledger made, as other systems see it: in the feed, in a webhook's body, in a Kafka
 * record. {@code id} is the same on every delivery and replay (it is derived from the entity, its
 * version and the type); {@code sequenceNr} is the entity's version after the change, so the events
 * of one {@code subject} can be put in order; {@code cursor} resumes the feed right after this
 * event. {@code data}'s fields are listed per type in docs/events.md.
 */
public record FeedEvent(
    String id,
    String type,
    Instant timestamp,
    String subject,
    long sequenceNr,
    FeedCursor cursor,
    Map<String, Object> data) {}
