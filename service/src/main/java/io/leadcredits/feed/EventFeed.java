package io.leadcredits.feed;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** The feed of every change, read from where the journal stores them. */
public interface EventFeed {

  /**
   * At most {@code limit} events after {@code after} that {@code types} accepts, oldest first; when
   * there is none yet, waits up to {@code wait} for one.
   */
  CompletionStage<FeedPage> read(FeedCursor after, int limit, TypeFilter types, Duration wait);

  /**
   * Right after the newest event every reader can see now, found without reading any event: where a
   * reader that wants none of what is there skips to.
   */
  CompletionStage<FeedCursor> head();
}
