package io.leadcredits.bench;

import java.util.function.IntFunction;

/**
 * Seeds a scenario through the public API: funded accounts and leads, all recorded in the ledger.
 */
final class Seeding {
  private Seeding() {}

  /** Credits {@code amount} to each of {@code count} accounts named by {@code name}. */
  static void fund(BenchContext c, int count, IntFunction<String> name, long amount)
      throws InterruptedException {
    Calls.each(
        count,
        BenchContext.seedConcurrency,
        i -> {
          String accountId = name.apply(i);
          String tx = "seed-" + accountId;
          return Calls.ok(
                  c.http(),
                  c.http()
                      .post(
                          "/api/accounts/" + accountId + "/credits",
                          c.tokens().admin(),
                          Ops.amountBody(amount, tx)))
              .thenRun(() -> c.ledger().credit(accountId, tx, amount));
        });
  }

  /** Creates {@code count} leads; {@code cost} gives each lead's credit cost. */
  static void leads(
      BenchContext c, int count, IntFunction<String> name, IntFunction<Long> cost, int maxClaims)
      throws InterruptedException {
    Calls.each(
        count,
        BenchContext.seedConcurrency,
        i -> createLead(c, name.apply(i), cost.apply(i), maxClaims));
  }

  static java.util.concurrent.CompletableFuture<Void> createLead(
      BenchContext c, String leadId, long cost, int maxClaims) {
    String body =
        "{\"leadId\":\""
            + leadId
            + "\",\"creditCost\":"
            + cost
            + ",\"maxClaims\":"
            + maxClaims
            + "}";
    return Calls.ok(c.http(), c.http().post("/api/leads", c.tokens().admin(), body))
        .thenRun(() -> c.ledger().lead(leadId, maxClaims));
  }
}
