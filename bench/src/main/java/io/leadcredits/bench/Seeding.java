package io.leadcredits.bench;

import io.leadcredits.testkit.InFlight;
import io.leadcredits.testkit.OperationLog.Operation;
import io.leadcredits.testkit.Request;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * Seeds a scenario through the public API: funded accounts and leads, all recorded in the log.
 * Every request must succeed (answers of 503 are sent again) before anything is measured.
 */
final class Seeding {
  private Seeding() {}

  /** Credits {@code amount} to each of {@code count} accounts named by {@code name}. */
  static void fund(BenchContext c, int count, IntFunction<String> name, long amount)
      throws InterruptedException {
    InFlight.each(
        count,
        BenchContext.seedConcurrency,
        i -> {
          String accountId = name.apply(i);
          Operation credit = Operation.credit(accountId, "seed-" + accountId, amount);
          return c.api()
              .ok(credit.request(c.tokens()))
              .thenAccept(r -> c.log().record(credit, r.status(), r.code()));
        });
  }

  /** Creates {@code count} leads; {@code cost} gives each lead's credit cost. */
  static void leads(
      BenchContext c, int count, IntFunction<String> name, IntFunction<Long> cost, int maxClaims)
      throws InterruptedException {
    InFlight.each(
        count,
        BenchContext.seedConcurrency,
        i -> createLead(c, name.apply(i), cost.apply(i), maxClaims));
  }

  static CompletableFuture<Void> createLead(
      BenchContext c, String leadId, long cost, int maxClaims) {
    return c.api()
        .ok(Request.createLead(c.tokens().admin(), leadId, cost, maxClaims))
        .thenRun(() -> c.log().lead(leadId, cost, maxClaims));
  }
}
