package io.leadcredits.client;

import static io.leadcredits.client.Transport.query;

import io.leadcredits.client.Transport.Call;
import io.leadcredits.client.model.EventPage;
import java.time.Duration;
import java.util.List;

/** The event feed: every change in commit order, read by pages or followed as it grows. */
public final class Events {
  /** The longest the service holds a read open waiting for a first event. */
  static final Duration longestWait = Duration.ofSeconds(30);

  private final Transport transport;

  Events(Transport transport) {
    this.transport = transport;
  }

  /**
   * The events after {@code after} (null: from the beginning), at most {@code limit}, of the given
   * types or type prefixes ({@code "credit."}; empty: all), waiting up to {@code wait} (at most 30
   * s) for a first one when there is none yet.
   */
  @Route("GET /api/events")
  public EventPage page(String after, int limit, List<String> types, Duration wait) {
    StringBuilder path = new StringBuilder("api/events?").append(query("limit", limit));
    if (after != null) {
      path.append('&').append(query("after", after));
    }
    for (String type : types) {
      path.append('&').append(query("type", type));
    }
    long seconds = wait.toSeconds();
    path.append('&').append(query("wait", seconds));
    return transport.call(
        Call.read(path.toString()).waitingUpTo(Duration.ofSeconds(seconds)), EventPage.class);
  }

  /**
   * Follows the feed from {@code after} (null: the beginning): the iterator's {@code next()} blocks
   * until the next event arrives, and its {@link FeedIterator#cursor()} is where to resume after a
   * restart (store it once an event is handled).
   */
  public FeedIterator follow(String after, List<String> types) {
    return new FeedIterator(this, after, List.copyOf(types));
  }
}
