package io.leadcredits.account;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.leadcredits.JsonSerializable;
import java.time.Instant;
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
  @JsonSubTypes.Type(value = AccountEvent.Expired.class, name = "expired")
})
public sealed interface AccountEvent extends JsonSerializable {

  Entry entry();

  /**
   * The kind of transaction the event records, as the transactions endpoint shows it. Not stored:
   * the event's own name in the journal says it.
   */
  TransactionType type();

  /** The audit fields common to every change. */
  record Entry(
      String transactionId,
      long amount,
      long balanceBefore,
      long balanceAfter,
      long reservedBefore,
      long reservedAfter,
      Instant at,
      Map<String, String> metadata) {
    public Entry {
      metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
  }

  /** Credits added; {@code fingerprint} identifies the request for idempotency. */
  record Credited(Entry entry, String fingerprint) implements AccountEvent {
    @Override
    public TransactionType type() {
      return TransactionType.CREDIT;
    }
  }

  record Debited(Entry entry, String fingerprint) implements AccountEvent {
    @Override
    public TransactionType type() {
      return TransactionType.DEBIT;
    }
  }

  /** A hold taken; its id is the entry's transaction id. */
  record Reserved(Entry entry, String fingerprint, Instant expiresAt) implements AccountEvent {
    @Override
    public TransactionType type() {
      return TransactionType.RESERVE;
    }
  }

  record Captured(Entry entry) implements AccountEvent {
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
}
