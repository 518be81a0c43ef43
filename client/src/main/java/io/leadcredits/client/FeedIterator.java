package io.leadcredits.client;

import io.leadcredits.client.model.Event;
import io.leadcredits.client.model.EventPage;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The feed followed without end: {@link #hasNext()} long-polls the service until an event is there,
 * so it only returns once there is one (or throws when the service cannot be reached within the
 * client's retry budget). Not for use by several threads at once.
 */
public final class FeedIterator implements Iterator<Event> {
  private static final int pageSize = 100;

  private final Events events;
  private final List<String> types;
  private final ArrayDeque<Event> buffered = new ArrayDeque<>();
  private String readFrom;
  private String cursor;

  FeedIterator(Events events, String after, List<String> types) {
    this.events = events;
    this.types = types;
    this.readFrom = after;
    this.cursor = after;
  }

  @Override
  public boolean hasNext() {
    while (buffered.isEmpty()) {
      EventPage page = events.page(readFrom, pageSize, types, Events.longestWait);
      buffered.addAll(page.items());
      readFrom = page.next();
    }
    return true;
  }

  @Override
  public Event next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Event event = buffered.poll();
    cursor = event.cursor();
    return event;
  }

  /** Right after the last event {@link #next()} returned: resume the feed from here. */
  public String cursor() {
    return cursor;
  }
}
