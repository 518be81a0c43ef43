package io.leadcredits.webhook;

import io.leadcredits.feed.FeedCursor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The parts of the feed the dispatcher has under way, in feed order: each part's first attempts go
 * out as soon as it is added, but what they came to is handed on only over the completed prefix.
 * The cursor must never pass an event whose rows are not written, so a part answered before the one
 * ahead of it waits for that one; and the window is bounded, so a crash sends again at most {@code
 * partsMax} parts.
 */
final class Window {
  /** Events of the feed up to {@code end}: the rows their attempts come to, once answered. */
  record Part(FeedCursor end, int events, CompletableFuture<List<NewDelivery>> rows) {}

  /** A completed prefix: its rows, written together, and the cursor after its last part. */
  record Done(FeedCursor end, int events, int parts, List<NewDelivery> rows) {}

  private final int partsMax;
  private final ArrayDeque<Part> parts = new ArrayDeque<>();

  Window(int partsMax) {
    if (partsMax < 1) {
      throw new IllegalArgumentException("partsMax must be positive: " + partsMax);
    }
    this.partsMax = partsMax;
  }

  boolean full() {
    return parts.size() >= partsMax;
  }

  boolean isEmpty() {
    return parts.isEmpty();
  }

  void add(Part part) {
    if (full()) {
      throw new IllegalStateException("the window is full");
    }
    if (!parts.isEmpty() && part.end().compareTo(parts.peekLast().end()) < 0) {
      throw new IllegalStateException("a part before the last one: " + part.end());
    }
    parts.addLast(part);
  }

  /** The oldest part's rows: what the window waits for to move on. */
  Optional<CompletableFuture<List<NewDelivery>>> head() {
    return parts.isEmpty() ? Optional.empty() : Optional.of(parts.peekFirst().rows());
  }

  /**
   * Takes the parts answered from the oldest on, up to the first one still under way; empty when
   * the oldest is under way. A part whose attempts failed to complete (not an answer, a bug or a
   * closing executor) fails the run: throws, and the cursor stays before it.
   */
  Optional<Done> takeDone() {
    FeedCursor end = null;
    int events = 0;
    int taken = 0;
    List<NewDelivery> rows = new ArrayList<>();
    while (!parts.isEmpty() && parts.peekFirst().rows().isDone()) {
      Part p = parts.peekFirst();
      List<NewDelivery> answered;
      try {
        answered = p.rows().join();
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        if (taken > 0) {
          break; // hand on what is complete before it; the next take throws
        }
        throw new IllegalStateException("a part's attempts did not complete", e);
      }
      parts.removeFirst();
      rows.addAll(answered);
      end = p.end();
      events += p.events();
      taken++;
    }
    return taken == 0 ? Optional.empty() : Optional.of(new Done(end, events, taken, rows));
  }
}
