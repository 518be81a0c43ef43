package io.leadcredits.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the service says, over its HTTP API, about a set of accounts and leads: each account's view
 * and whole audit trail, and each lead's view. Two snapshots are equal when nothing changed. Read
 * it while nothing is writing, or the parts may be from different moments.
 */
public record LedgerSnapshot(
    Map<String, JsonNode> accounts,
    Map<String, List<TrailEntry>> trails,
    Map<String, JsonNode> leads) {

  /** Trail items fetched per request: the API's maximum page. */
  private static final int trailPageSize = 1_000;

  /** Accounts and leads read at once: enough to keep a 2-core server busy. */
  private static final int readsInFlightMax = 32;

  public LedgerSnapshot {
    accounts = Map.copyOf(accounts);
    trails = Map.copyOf(trails);
    leads = Map.copyOf(leads);
  }

  /**
   * One item of an account's audit trail, every field of it: kept as values rather than JSON trees
   * because a benchmark's hot account has a trail of a million items.
   */
  public record TrailEntry(
      String transactionId,
      String type,
      long amount,
      long balanceBefore,
      long balanceAfter,
      long reservedBefore,
      long reservedAfter,
      String at,
      Map<String, String> metadata) {

    static TrailEntry of(JsonNode item) {
      Map<String, String> metadata = new TreeMap<>();
      for (Map.Entry<String, JsonNode> field : item.path("metadata").properties()) {
        metadata.put(field.getKey(), field.getValue().asText());
      }
      return new TrailEntry(
          item.get("transactionId").asText(),
          item.get("type").asText().intern(),
          item.get("amount").asLong(),
          item.get("balanceBefore").asLong(),
          item.get("balanceAfter").asLong(),
          item.get("reservedBefore").asLong(),
          item.get("reservedAfter").asLong(),
          item.get("at").asText(),
          metadata.isEmpty() ? Map.of() : Map.copyOf(metadata));
    }
  }

  /**
   * Takes an account's trail a page at a time, oldest first: pages of one account come one after
   * another, those of different accounts from several threads at once.
   */
  @FunctionalInterface
  public interface TrailFold {
    void page(String accountId, List<TrailEntry> items);
  }

  /** Reads the accounts and leads, many at once; a read answered 5xx is sent again. */
  public static LedgerSnapshot read(
      HttpApi api, Collection<String> accountIds, Collection<String> leadIds) {
    Map<String, List<TrailEntry>> trails = new ConcurrentHashMap<>();
    for (String id : accountIds) {
      trails.put(id, Collections.synchronizedList(new ArrayList<>()));
    }
    LedgerSnapshot views =
        read(api, accountIds, leadIds, (id, page) -> trails.get(id).addAll(page));
    Map<String, List<TrailEntry>> copied = new HashMap<>();
    trails.forEach((id, trail) -> copied.put(id, List.copyOf(trail)));
    return new LedgerSnapshot(views.accounts, copied, views.leads);
  }

  /**
   * Reads like {@link #read(HttpApi, Collection, Collection)} but keeps no trail: each page goes to
   * {@code fold} and is dropped, so a trail of millions of items is checked in the memory of one
   * page per account read at once. The snapshot's {@link #trails} is empty.
   */
  public static LedgerSnapshot read(
      HttpApi api, Collection<String> accountIds, Collection<String> leadIds, TrailFold fold) {
    Map<String, JsonNode> accounts = new ConcurrentHashMap<>();
    Map<String, JsonNode> leads = new ConcurrentHashMap<>();
    List<String> accountList = List.copyOf(accountIds);
    List<String> leadList = List.copyOf(leadIds);
    try {
      InFlight.each(
          accountList.size(),
          readsInFlightMax,
          i -> {
            String id = accountList.get(i);
            return read(api, "/api/accounts/" + id)
                .thenAccept(view -> accounts.put(id, view))
                .thenCompose(x -> trail(api, id, "0", fold));
          });
      InFlight.each(
          leadList.size(),
          readsInFlightMax,
          i ->
              read(api, "/api/leads/" + leadList.get(i))
                  .thenAccept(v -> leads.put(leadList.get(i), v)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the ledger", e);
    }
    return new LedgerSnapshot(accounts, Map.of(), leads);
  }

  /**
   * Every item of an account's audit trail into {@code fold}, from the page after {@code after}.
   */
  private static CompletableFuture<Void> trail(
      HttpApi api, String accountId, String after, TrailFold fold) {
    String path =
        "/api/accounts/" + accountId + "/transactions?after=" + after + "&limit=" + trailPageSize;
    return read(api, path)
        .thenCompose(
            page -> {
              List<TrailEntry> items = new ArrayList<>(page.get("items").size());
              page.get("items").forEach(item -> items.add(TrailEntry.of(item)));
              fold.page(accountId, items);
              JsonNode next = page.get("next");
              return next == null || next.isNull()
                  ? CompletableFuture.<Void>completedFuture(null)
                  : trail(api, accountId, next.asText(), fold);
            });
  }

  private static CompletableFuture<JsonNode> read(HttpApi api, String path) {
    return api.ok(Request.get(path, api.admin())).thenApply(Reply::body);
  }

  public long eventCount() {
    return trails.values().stream().mapToLong(List::size).sum();
  }
}
