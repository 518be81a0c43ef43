package io.leadcredits.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.testkit.HttpApi;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the service says, over its HTTP API, about a set of accounts and leads: each account's view
 * and whole audit trail, and each lead's view. Two snapshots are equal when nothing changed. Read
 * it while nothing is writing, or the parts may be from different moments.
 */
public record LedgerSnapshot(
    Map<String, JsonNode> accounts,
    Map<String, List<JsonNode>> trails,
    Map<String, JsonNode> leads) {

  /** Trail items fetched per request: the API's maximum page. */
  private static final int trailPageSize = 1_000;

  public LedgerSnapshot {
    accounts = Map.copyOf(accounts);
    trails = Map.copyOf(trails);
    leads = Map.copyOf(leads);
  }

  public static LedgerSnapshot read(
      HttpApi api, Collection<String> accountIds, Collection<String> leadIds) {
    Map<String, JsonNode> accounts = new TreeMap<>();
    Map<String, List<JsonNode>> trails = new TreeMap<>();
    Map<String, JsonNode> leads = new TreeMap<>();
    for (String id : accountIds) {
      accounts.put(id, api.get("/api/accounts/" + id));
      trails.put(id, trail(api, id));
    }
    for (String id : leadIds) {
      leads.put(id, api.get("/api/leads/" + id));
    }
    return new LedgerSnapshot(accounts, trails, leads);
  }

  /** Every item of an account's audit trail, oldest first. */
  public static List<JsonNode> trail(HttpApi api, String accountId) {
    List<JsonNode> items = new ArrayList<>();
    String after = "0";
    while (after != null) {
      JsonNode page =
          api.get(
              "/api/accounts/"
                  + accountId
                  + "/transactions?after="
                  + after
                  + "&limit="
                  + trailPageSize);
      page.get("items").forEach(items::add);
      JsonNode next = page.get("next");
      after = next == null || next.isNull() ? null : next.asText();
    }
    return List.copyOf(items);
  }

  public long eventCount() {
    return trails.values().stream().mapToLong(List::size).sum();
  }
}
