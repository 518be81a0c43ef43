package io.leadcredits.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An endpoint to register: its URL and, optionally, the event types (or prefixes) it wants. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewWebhook(String url, List<String> types, String description) {
  public static NewWebhook of(String url) {
    return new NewWebhook(url, null, null);
  }
}
