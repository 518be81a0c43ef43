package io.leadcredits.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.leadcredits.JsonSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything that ever happened to an account: the audit trail. Each event carries the balances
 * before and after, so the trail can be checked on its own; the account's state is the fold of its
 * events. The JSON names are stable: they are in the journal.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AccountEvent.Credited.class, name = "credited"),
  @JsonSubTypes.Type(value = AccountEvent.Debited.class, name = "debited"),
  @JsonSubTypes.Type(value = AccountEvent.Reserved.class, name = "reserved"),
  @JsonSubTypes.Type(value = AccountEvent.Captured.class, name = "captured"),
  @JsonSubTypes.Type(value = AccountEvent.Released.class, name = "released"),
  @JsonSubTypes.Type(value = AccountEvent.Expired.class, name = "expired"),
  @JsonSubTypes.Type(value = AccountEvent.GrantExpired.class, name = "grant_expired"),
  @JsonSubTypes.Type(value = AccountEvent.GrantVoided.class, name = "grant_voided"),
  @JsonSubTypes.Type(value = AccountEvent.Refunded.class, name = "refunded"),
  @JsonSubTypes.Type(value = AccountEvent.AlertsChanged.class, name = "alerts_changed")
})
public sealed interface AccountEvent extends JsonSerializable {

  Entry entry();

  /**
   * The kind of transaction the event records, as the transactions endpoint shows it. Not stored:
   * the event's own name in the journal says it.
   */
  TransactionType type();

  /**
   * The audit fields common to every change. {@code lowBalance}: the account's low-balance
   * threshold when this change took {@code available} (balance − reserved) from at or above it to
   * below it, else null (absent from the JSON, as in every event stored before alerts). The
   * rulebook decides it with the change, so the {@code balance.low} alert is written atomically
   * with the change it belongs to and the feed reads it from this one event.
   */
  record Entry(
      String transactionId,
      long amount,
      long balanceBefore,
      long balanceAfter,
      long reservedBefore,
      long reservedAfter,
      Instant at,
      Map<String, String> metadata,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long lowBalance) {
    public Entry {
      metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public Entry(
        String transactionId,
        long amount,
        long balanceBefore,
        long balanceAfter,
        long reservedBefore,
        long reservedAfter,
        Instant at,
        Map<String, String> metadata) {
      this(
          transactionId,
          amount,
          balanceBefore,
          balanceAfter,
          reservedBefore,
          reservedAfter,
          at,
          metadata,
          null);
    }

    /** Credits available before the change: balance less every hold not yet ended. */
    public long availableBefore() {
      return balanceBefore - reservedBefore;
    }

    /** Credits available after the change. */
    public long availableAfter() {
      return balanceAfter - reservedAfter;
    }

    /**
     * The threshold a change from {@code before} to {@code after} available falls below, or null:
     * an alert fires on the way down only, once, and is armed again when available is back at or
     * above the threshold (0: alerts off).
     */
    public static Long crossing(long threshold, long before, long after) {
      return threshold > 0 && before >= threshold && after < threshold ? threshold : null;
    }
  }

  /**
   * Credits added; {@code fingerprint} identifies the request for idempotency. With {@code grant}
   * the credits are a grant of their own, whose id is the transaction id; without (stored before
   * grants existed) they belong to the account's legacy grant.
   */
  record Credited(
      Entry entry, String fingerprint, @JsonInclude(JsonInclude.Include.NON_NULL) GrantTerms grant)
      implements AccountEvent {
    public Credited(Entry entry, String fingerprint) {
      this(entry, fingerprint, null);
    }

    @Override
    public TransactionType type() {
      return TransactionType.CREDIT;
    }
  }

  /**
   * Credits taken, from the {@code grants} named (in spending order); stored before grants existed
   * without them, and then taken in spending order when folded.
   */
  record Debited(
      Entry entry,
      String fingerprint,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<GrantAmount> grants)
      implements AccountEvent {
    public Debited {
      grants = grants == null ? null : List.copyOf(grants);
    }

    public Debited(Entry entry, String fingerprint) {
      this(entry, fingerprint, null);
    }

    @Override
    public TransactionType type() {
      return TransactionType.DEBIT;
    }
  }

  /**
   * A hold taken; its id is the entry's transaction id. {@code grants}: what it earmarks on each
   * grant (absent in events stored before grants: then earmarked in spending order when folded).
   */
  record Reserved(
      Entry entry,
      String fingerprint,
      Instant expiresAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<GrantAmount> grants)
      implements AccountEvent {
    public Reserved {
      grants = grants == null ? null : List.copyOf(grants);
    }

    public Reserved(Entry entry, String fingerprint, Instant expiresAt) {
      this(entry, fingerprint, expiresAt, null);
    }

    @Override
    public TransactionType type() {
      return TransactionType.RESERVE;
    }
  }

  /** A hold turned into a debit: it spends exactly what it earmarked ({@code grants}). */
  record Captured(Entry entry, @JsonInclude(JsonInclude.Include.NON_NULL) List<GrantAmount> grants)
      implements AccountEvent {
    public Captured {
      grants = grants == null ? null : List.copyOf(grants);
    }

    public Captured(Entry entry) {
      this(entry, null);
    }

    @Override
    public TransactionType type() {
      return TransactionType.CAPTURE;
    }
  }

  record Released(Entry entry) implements AccountEvent {
    @Override
    public TransactionType type() {
      return TransactionType.RELEASE;
    }
  }

  record Expired(Entry entry) implements AccountEvent {
    @Override
    public TransactionType type() {
      return TransactionType.EXPIRE;
    }
  }

  /**
   * A grant's remainder expired ({@code entry.transactionId} is the grant's id): at its {@code
   * expiresAt}, or when a hold that earmarked part of it ended after that.
   */
  record GrantExpired(Entry entry, String grantId) implements AccountEvent {
    @Override
    public TransactionType type() {
      return TransactionType.GRANT_EXPIRED;
    }
  }

  /**
   * A grant's remainder voided (a chargeback). The void's own transaction carries its {@code
   * fingerprint} and {@code reason}; what a hold gives back to a voided grant later is voided by an
   * event without either, under the same transaction id.
   */
  record GrantVoided(
      Entry entry,
      String grantId,
      @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
      @JsonInclude(JsonInclude.Include.NON_NULL) String fingerprint)
      implements AccountEvent {
    @Override
    public TransactionType type() {
      return TransactionType.GRANT_VOIDED;
    }
  }

  /**
   * Credits given back for a claim (a refund), to the grants its debit spent ({@code grants}, in
   * the order they go back); what came from a grant that has ended since goes to a promotional
   * grant whose id is the transaction id.
   */
  record Refunded(Entry entry, String fingerprint, List<RefundPart> grants)
      implements AccountEvent {
    public Refunded {
      grants = List.copyOf(grants);
    }

    @Override
    public TransactionType type() {
      return TransactionType.REFUND;
    }
  }

  /**
   * The account's alert settings changed: {@code lowBalanceThreshold} (0: off) from now on. Moves
   * no credits: its entry's amount is 0 and its transaction id {@link #TRANSACTION_ID}, which no
   * request can use ({@code ~} is no id character).
   */
  record AlertsChanged(Entry entry, long lowBalanceThreshold) implements AccountEvent {
    public static final String TRANSACTION_ID = "~alerts";

    @Override
    public TransactionType type() {
      return TransactionType.ALERTS_CHANGED;
    }
  }
}
