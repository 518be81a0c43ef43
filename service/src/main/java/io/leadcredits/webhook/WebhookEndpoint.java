package io.leadcredits.webhook;

import io.leadcredits.feed.TypeFilter;
import java.time.Instant;
import java.util.List;

/**
 * Where events are POSTed: a URL, the event types it wants ({@code types} empty: every type) and
 * whether deliveries go out. A receiver that answers 410 Gone is disabled. Its signing secret is
 * never part of this view: it is shown once, when made.
 */
public record WebhookEndpoint(
    String id,
    String url,
    List<String> types,
    String description,
    Status status,
    Instant createdAt) {

  public enum Status {
    ENABLED,
    DISABLED
  }

  public WebhookEndpoint {
    types = List.copyOf(types);
  }

  public boolean accepts(String type) {
    return new TypeFilter(types).accepts(type);
  }
}
