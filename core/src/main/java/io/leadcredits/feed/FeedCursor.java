package io.leadcredits.feed;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A position in the feed: after the {@code index}-th event made of the journal row at {@code
 * ordering}, written by transaction {@code transaction}. The feed is in the order (transaction,
 * ordering, index): a transaction's rows are shown only once every older transaction has ended, so
 * a row committed late can never land behind a cursor already handed out. Clients see it as an
 * opaque string.
 */
public record FeedCursor(long transaction, long ordering, int index)
    implements Comparable<FeedCursor> {

  /** Before every event. */
  public static final FeedCursor START = new FeedCursor(0, 0, -1);

  private static final String VERSION = "1";

  public FeedCursor {
    if (transaction < 0 || ordering < 0 || index < -1) {
      throw new IllegalArgumentException("not a feed position");
    }
  }

  /** The opaque form clients pass back as {@code after}. */
  public String encode() {
    String plain = VERSION + "." + transaction + "." + ordering + "." + index;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
  }

  /** The cursor {@code text} encodes, or empty when it is not one this feed handed out. */
  public static Optional<FeedCursor> decode(String text) {
    if (text == null || text.isEmpty() || text.length() > 100) {
      return Optional.empty();
    }
    try {
      String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
      String[] parts = plain.split("\\.", -1);
      if (parts.length != 4 || !parts[0].equals(VERSION)) {
        return Optional.empty();
      }
      return Optional.of(
          new FeedCursor(
              Long.parseLong(parts[1]), Long.parseLong(parts[2]), Integer.parseInt(parts[3])));
    } catch (IllegalArgumentException e) { // bad base64, a number that is not one, out of range
      return Optional.empty();
    }
  }

  @Override
  public int compareTo(FeedCursor o) {
    int c = Long.compare(transaction, o.transaction);
    if (c != 0) {
      return c;
    }
    c = Long.compare(ordering, o.ordering);
    return c != 0 ? c : Integer.compare(index, o.index);
  }

  @Override
  public String toString() {
    return encode();
  }
}
