package io.leadcredits.feed;

import java.util.List;

/** A page of the feed, oldest first; {@code next} resumes right after what this page looked at. */
public record FeedPage(List<FeedEvent> items, FeedCursor next) {
  public FeedPage {
    items = List.copyOf(items);
  }
}
