package io.leadcredits.bench;

import io.leadcredits.testkit.WireClient;
import java.net.http.HttpRequest;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The API calls of the workloads, each an {@link Op} that records its acknowledged effect in the
 * ledger and parks itself for a re-send when its outcome is unknown. Bodies are written as strings:
 * the generator builds no JSON trees per request.
 */
final class Ops {
  private Ops() {}

  static Op credit(BenchContext c, String accountId, String transactionId, long amount) {
    Req request =
        post(
            c,
            "/api/accounts/" + accountId + "/credits",
            c.tokens().admin(),
            amountBody(amount, transactionId));
    return tracked(
        c, accountId, request, () -> c.ledger().credit(accountId, transactionId, amount), null);
  }

  static Op debit(BenchContext c, String accountId, String transactionId, long amount) {
    Req request =
        post(
            c,
            "/api/accounts/" + accountId + "/debits",
            c.tokens().admin(),
            amountBody(amount, transactionId));
    return tracked(
        c, accountId, request, () -> c.ledger().debit(accountId, transactionId, amount), null);
  }

  /** {@code then} is told the status, so a client can follow an accepted hold with its capture. */
  static Op reserve(
      BenchContext c, String accountId, String holdId, long amount, IntConsumer then) {
    Req request =
        post(
            c,
            "/api/accounts/" + accountId + "/reservations",
            c.tokens().admin(),
            amountBody(amount, holdId));
    return tracked(c, accountId, request, () -> c.ledger().reserve(accountId, holdId), then);
  }

  static Op capture(BenchContext c, String accountId, String holdId, long amount) {
    Req request =
        post(
            c,
            "/api/accounts/" + accountId + "/reservations/" + holdId + "/capture",
            c.tokens().admin(),
            null);
    return tracked(
        c, accountId, request, () -> c.ledger().capture(accountId, holdId, amount), null);
  }

  /** A tradie claims a lead with their own token. */
  static Op claim(
      BenchContext c, String leadId, String tradieId, long creditCost, IntConsumer then) {
    Req request = post(c, "/api/leads/" + leadId + "/claim", c.tokens().tradie(tradieId), null);
    return tracked(
        c, tradieId, request, () -> c.ledger().claim(leadId, tradieId, creditCost), then);
  }

  /** A tradie reads their own balance; nothing to remember. */
  static Op balance(BenchContext c, String tradieId) {
    String token = c.tokens().tradie(tradieId);
    return new Op(
        () -> c.http().get("/api/credits/balance", token),
        WireClient.request("GET", "/api/credits/balance", token, null),
        s -> {});
  }

  static String amountBody(long amount, String transactionId) {
    return "{\"amount\":" + amount + ",\"transactionId\":\"" + transactionId + "\"}";
  }

  /** 5xx, a timeout or a broken connection: the change may or may not have happened. */
  static boolean unknownOutcome(int status) {
    return status <= 0 || status >= 500;
  }

  /** A request in both forms: for the JDK client and as the bytes the load client writes. */
  private record Req(Supplier<HttpRequest> http, byte[] wire) {}

  private static Req post(BenchContext c, String path, String token, String json) {
    Supplier<HttpRequest> http =
        () -> json == null ? c.http().postEmpty(path, token) : c.http().post(path, token, json);
    return new Req(http, WireClient.request("POST", path, token, json));
  }

  private static Op tracked(
      BenchContext c, String accountId, Req request, Runnable accepted, IntConsumer then) {
    Op[] self = new Op[1];
    self[0] =
        new Op(
            request.http(),
            request.wire(),
            status -> {
              if (status >= 200 && status < 300) {
                accepted.run();
              } else if (unknownOutcome(status)) {
                c.ledger().unknown(accountId, self[0]);
              }
              if (then != null) {
                then.accept(status);
              }
            });
    return self[0];
  }
}
