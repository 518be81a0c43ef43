package io.leadcredits.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.FeedEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's window: parts answered out of order move the cursor only over the parts answered
 * from the oldest on, a part that did not complete moves it not at all, and the window holds at
 * most its parts.
 */
class WindowTest {

  @Test
  void answersOutOfOrderMoveTheCursorOnlyOverTheCompletedPrefix() {
    Window window = new Window(4);
    CompletableFuture<List<NewDelivery>> first = new CompletableFuture<>();
    CompletableFuture<List<NewDelivery>> second = new CompletableFuture<>();
    CompletableFuture<List<NewDelivery>> third = new CompletableFuture<>();
    window.add(new Window.Part(cursor(10), 10, first));
    window.add(new Window.Part(cursor(20), 10, second));
    window.add(new Window.Part(cursor(30), 10, third));

    third.complete(List.of(row("evt_3")));
    second.complete(List.of(row("evt_2")));
    assertThat(window.takeDone()).as("the oldest part is still under way").isEmpty();

    first.complete(List.of(row("evt_1")));
    Window.Done done = window.takeDone().orElseThrow();
    assertThat(done.end()).isEqualTo(cursor(30));
    assertThat(done.parts()).isEqualTo(3);
    assertThat(done.events()).isEqualTo(30);
    assertThat(done.rows())
        .extracting(d -> d.event().id())
        .containsExactly("evt_1", "evt_2", "evt_3");
    assertThat(window.isEmpty()).isTrue();
  }

  @Test
  void aPrefixStopsAtThePartStillUnderWay() {
    Window window = new Window(4);
    CompletableFuture<List<NewDelivery>> second = new CompletableFuture<>();
    window.add(new Window.Part(cursor(10), 10, CompletableFuture.completedFuture(List.of())));
    window.add(new Window.Part(cursor(20), 10, second));
    window.add(new Window.Part(cursor(30), 10, CompletableFuture.completedFuture(List.of())));

    assertThat(window.takeDone().orElseThrow().end()).isEqualTo(cursor(10));
    assertThat(window.takeDone()).isEmpty();
    assertThat(window.head()).contains(second);
  }

  @Test
  void aPartThatFailedDoesNotMoveTheCursor() {
    Window window = new Window(4);
    CompletableFuture<List<NewDelivery>> failed = new CompletableFuture<>();
    window.add(new Window.Part(cursor(10), 10, CompletableFuture.completedFuture(List.of())));
    window.add(new Window.Part(cursor(20), 10, failed));
    window.add(new Window.Part(cursor(30), 10, CompletableFuture.completedFuture(List.of())));
    failed.completeExceptionally(new IllegalStateException("the executor is closing"));

    // What is complete before it is handed on; the failed part itself never is.
    assertThat(window.takeDone().orElseThrow().end()).isEqualTo(cursor(10));
    assertThatThrownBy(window::takeDone).isInstanceOf(IllegalStateException.class);
    assertThat(window.head()).contains(failed);
  }

  @Test
  void holdsAtMostItsParts() {
    Window window = new Window(2);
    window.add(new Window.Part(cursor(10), 10, new CompletableFuture<>()));
    assertThat(window.full()).isFalse();
    window.add(new Window.Part(cursor(20), 10, new CompletableFuture<>()));
    assertThat(window.full()).isTrue();
    assertThatThrownBy(() -> window.add(new Window.Part(cursor(30), 10, new CompletableFuture<>())))
        .isInstanceOf(IllegalStateException.class);
  }

  private static FeedCursor cursor(long seq) {
    return new FeedCursor(1, seq, 0);
  }

  private static NewDelivery row(String eventId) {
    Instant now = Instant.parse("2026-12-07T10:00:00Z");
    FeedEvent e =
        new FeedEvent(eventId, "credit.credited", now, "accounts/ann", 1, cursor(1), Map.of());
    return new NewDelivery(
        "wh_window", e, new byte[0], Delivery.Status.DELIVERED, 1, 200, now, now, false);
  }
}
