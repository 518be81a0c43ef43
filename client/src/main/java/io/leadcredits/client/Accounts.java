package io.leadcredits.client;

import static io.leadcredits.client.Transport.query;
import static io.leadcredits.client.Transport.segment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadcredits.client.Transport.Call;
import io.leadcredits.client.model.Account;
import io.leadcredits.client.model.AccountChange;
import io.leadcredits.client.model.Alerts;
import io.leadcredits.client.model.NewGrant;
import io.leadcredits.client.model.Profile;
import io.leadcredits.client.model.Reservation;
import io.leadcredits.client.model.Statement;
import io.leadcredits.client.model.TrailPage;
import java.time.Duration;

/**
 * Accounts: balances, top-ups, debits and holds. Each change is made once: the methods without a
 * transaction id make one up and reuse it on their retries; pass your own to make a change
 * idempotent across your own retries too (the same id with other terms is {@code
 * IDEMPOTENCY_CONFLICT}).
 */
public final class Accounts {
  private final Transport transport;

  Accounts(Transport transport) {
    this.transport = transport;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record AmountBody(long amount, String transactionId, String reason) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record GrantBody(
      long amount,
      String transactionId,
      String reason,
      String category,
      java.time.Instant expiresAt,
      Integer priority,
      NewGrant.Price price) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record VoidBody(String transactionId, String reason) {}

  record ProfileBody(String tier) {}

  record AlertsBody(long lowBalanceThreshold) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ReserveBody(long amount, String transactionId, Long ttlSeconds) {}

  @Route("GET /api/accounts/{accountId}")
  public Account get(String accountId) {
    return transport.call(Call.read("api/accounts/" + segment(accountId)), Account.class);
  }

  /** The calling tradie's own account. */
  @Route("GET /api/credits/balance")
  public Account ownBalance() {
    return transport.call(Call.read("api/credits/balance"), Account.class);
  }

  public AccountChange credit(String accountId, long amount, String reason) {
    return credit(accountId, amount, reason, TransactionIds.fresh());
  }

  @Route("POST /api/accounts/{accountId}/credits")
  public AccountChange credit(String accountId, long amount, String reason, String transactionId) {
    return change(
        accountId, "credits", new AmountBody(amount, transactionId, reason), transactionId);
  }

  /** A top-up as a grant of its own terms; the answer's {@code grantId} is its transaction id. */
  public AccountChange grant(String accountId, NewGrant grant) {
    return grant(accountId, grant, TransactionIds.fresh());
  }

  @Route("POST /api/accounts/{accountId}/credits")
  public AccountChange grant(String accountId, NewGrant grant, String transactionId) {
    GrantBody body =
        new GrantBody(
            grant.amount(),
            transactionId,
            grant.reason(),
            grant.category(),
            grant.expiresAt(),
            grant.priority(),
            grant.price());
    return change(accountId, "credits", body, transactionId);
  }

  /** Voids what is left of a grant (a chargeback), once. */
  public AccountChange voidGrant(String accountId, String grantId, String reason) {
    return voidGrant(accountId, grantId, reason, TransactionIds.fresh());
  }

  @Route("POST /api/accounts/{accountId}/grants/{grantId}/void")
  public AccountChange voidGrant(
      String accountId, String grantId, String reason, String transactionId) {
    return transport.call(
        Call.write(
            "POST",
            "api/accounts/" + segment(accountId) + "/grants/" + segment(grantId) + "/void",
            new VoidBody(transactionId, reason),
            transactionId),
        AccountChange.class);
  }

  /** Sets the tradie's pricing tier (admin); null clears it. */
  @Route("PUT /api/accounts/{accountId}/profile")
  public Profile setProfile(String accountId, String tier) {
    return transport.call(
        Call.write(
            "PUT", "api/accounts/" + segment(accountId) + "/profile", new ProfileBody(tier), null),
        Profile.class);
  }

  /** The account's low-balance alert (admin or owner). */
  @Route("GET /api/accounts/{accountId}/alerts")
  public Alerts alerts(String accountId) {
    return transport.call(
        Call.read("api/accounts/" + segment(accountId) + "/alerts"), Alerts.class);
  }

  /**
   * Announces {@code balance.low} whenever the account's available credits fall below {@code
   * lowBalanceThreshold} (0: off). Setting the threshold in force again changes nothing.
   */
  @Route("PUT /api/accounts/{accountId}/alerts")
  public Alerts setAlerts(String accountId, long lowBalanceThreshold) {
    return transport.call(
        Call.write(
            "PUT",
            "api/accounts/" + segment(accountId) + "/alerts",
            new AlertsBody(lowBalanceThreshold),
            null),
        Alerts.class);
  }

  public AccountChange debit(String accountId, long amount, String reason) {
    return debit(accountId, amount, reason, TransactionIds.fresh());
  }

  @Route("POST /api/accounts/{accountId}/debits")
  public AccountChange debit(String accountId, long amount, String reason, String transactionId) {
    return change(
        accountId, "debits", new AmountBody(amount, transactionId, reason), transactionId);
  }

  /**
   * Holds {@code amount} until captured, released or {@code ttl} passes; the hold id is returned.
   */
  public Reservation reserve(String accountId, long amount, Duration ttl) {
    return reserve(accountId, amount, ttl, TransactionIds.fresh());
  }

  @Route("POST /api/accounts/{accountId}/reservations")
  public Reservation reserve(String accountId, long amount, Duration ttl, String holdId) {
    Long seconds = ttl == null ? null : ttl.toSeconds();
    return transport.call(
        Call.write(
            "POST",
            "api/accounts/" + segment(accountId) + "/reservations",
            new ReserveBody(amount, holdId, seconds),
            holdId),
        Reservation.class);
  }

  @Route("POST /api/accounts/{accountId}/reservations/{holdId}/capture")
  public AccountChange capture(String accountId, String holdId) {
    return transport.call(
        Call.write(
            "POST",
            "api/accounts/" + segment(accountId) + "/reservations/" + segment(holdId) + "/capture",
            null,
            null),
        AccountChange.class);
  }

  @Route("DELETE /api/accounts/{accountId}/reservations/{holdId}")
  public AccountChange release(String accountId, String holdId) {
    return transport.call(
        Call.write(
            "DELETE",
            "api/accounts/" + segment(accountId) + "/reservations/" + segment(holdId),
            null,
            null),
        AccountChange.class);
  }

  /** The trail after version {@code after} (0: from the start), at most {@code limit} items. */
  @Route("GET /api/accounts/{accountId}/transactions")
  public TrailPage transactions(String accountId, long after, int limit) {
    return transport.call(
        Call.read(
            "api/accounts/"
                + segment(accountId)
                + "/transactions?"
                + query("after", after)
                + "&"
                + query("limit", limit)),
        TrailPage.class);
  }

  /**
   * The account's statement for {@code [from, to)}; a null bound is the default (from the start, to
   * now).
   */
  @Route("GET /api/accounts/{accountId}/statement")
  public Statement statement(String accountId, java.time.Instant from, java.time.Instant to) {
    return transport.call(Call.read(statementPath(accountId, from, to)), Statement.class);
  }

  /** The same statement as CSV, for a spreadsheet. */
  @Route("GET /api/accounts/{accountId}/statement")
  public String statementCsv(String accountId, java.time.Instant from, java.time.Instant to) {
    return transport.text(Call.read(statementPath(accountId, from, to)).accepting("text/csv"));
  }

  private static String statementPath(
      String accountId, java.time.Instant from, java.time.Instant to) {
    StringBuilder path = new StringBuilder("api/accounts/" + segment(accountId) + "/statement");
    String sep = "?";
    if (from != null) {
      path.append(sep).append(query("from", from.toString()));
      sep = "&";
    }
    if (to != null) {
      path.append(sep).append(query("to", to.toString()));
    }
    return path.toString();
  }

  private AccountChange change(String accountId, String kind, Object body, String transactionId) {
    return transport.call(
        Call.write("POST", "api/accounts/" + segment(accountId) + "/" + kind, body, transactionId),
        AccountChange.class);
  }
}
