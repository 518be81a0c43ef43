package io.leadcredits.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads the service's event feed ({@code GET /api/events}, admin) from its beginning to its end as
 * a consumer would: page after page, passing each page's {@code next} back, until a page is empty.
 */
public final class EventFeedReader {
  private EventFeedReader() {}

  /** Every event of the feed, oldest first; {@code get} answers the body of an admin's GET. */
  public static List<JsonNode> all(Function<String, JsonNode> get) {
    List<JsonNode> all = new ArrayList<>();
    each(get, all::add);
    return all;
  }

  /** Every event of the feed, oldest first, through {@code consumer}, without keeping them. */
  public static void each(Function<String, JsonNode> get, Consumer<JsonNode> consumer) {
    String after = null;
    while (true) {
      JsonNode page =
          get.apply(
              "/api/events?limit=1000"
                  + (after == null
                      ? ""
                      : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)));
      if (page.get("items").isEmpty()) {
        return;
      }
      page.get("items").forEach(consumer);
      after = page.get("next").asText();
    }
  }
}
