package io.leadcredits.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeedCursorTest {

  @Test
  void aCursorReadsBackAsItself() {
    for (FeedCursor c :
        List.of(
            FeedCursor.START,
            new FeedCursor(1, 2, 0),
            new FeedCursor(Long.MAX_VALUE, Long.MAX_VALUE, 1))) {
      assertThat(FeedCursor.decode(c.encode())).contains(c);
    }
  }

  @Test
  void whatNoCursorEncodesIsRefused() {
    for (String bad :
        List.of(
            "",
            "x",
            "%%%",
            new FeedCursor(1, 2, 0).encode() + "AA",
            b64("2.1.2.0"),
            b64("1.1.2"),
            b64("1.-1.2.0"),
            b64("1.1.2.-2"),
            b64("1.a.2.0"),
            "A".repeat(101))) {
      assertThat(FeedCursor.decode(bad)).as(bad).isEmpty();
    }
    assertThat(FeedCursor.decode(null)).isEmpty();
  }

  @Test
  void cursorsOrderByTransactionThenRowThenIndex() {
    assertThat(
            List.of(
                new FeedCursor(2, 1, 0),
                new FeedCursor(1, 9, 0),
                new FeedCursor(1, 2, 1),
                new FeedCursor(1, 2, 0),
                FeedCursor.START))
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }

  private static String b64(String plain) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes());
  }
}
