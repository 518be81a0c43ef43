package io.leadcredits.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;

/** An answer: its status, its JSON body (null when empty or not JSON) and the raw response. */
public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
  /** The header the service marks an idempotent replay with. */
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";

  /** The problem code of a refusal, or null. */
  public String code() {
    return body == null || !body.has("code") ? null : body.get("code").asText();
  }

  /** Whether the service answered this as a replay of an earlier request with the same id. */
  public boolean replayed() {
    return raw.headers().firstValue(REPLAYED_HEADER).map("true"::equals).orElse(false);
  }
}
