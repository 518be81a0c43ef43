package io.leadcredits;

/**
 * Marker for every message, event and snapshot that crosses a serialization boundary (the journal,
 * the snapshot store, another cluster node). Bound to Pekko's Jackson JSON serializer in
 * serialization.conf, so the journal stays readable with plain SQL.
 */
public interface JsonSerializable {}
