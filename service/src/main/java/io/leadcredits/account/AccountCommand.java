package io.leadcredits.account;

import io.leadcredits.JsonSerializable;
import io.leadcredits.wakeup.WakeupReply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What an account can be asked to do. Every command is answered; the reply is named per command.
 */
public sealed interface AccountCommand extends JsonSerializable {

  /** A command from a caller, answered with an {@link AccountReply}. */
  sealed interface Request extends AccountCommand
      permits Credit, Debit, Reserve, Capture, Release, VoidGrant, Refund, SetAlerts, Get {
    ActorRef<AccountReply> replyTo();
  }

  /**
   * Adds credits (a top-up or a refund): a grant on {@code terms} (null: the defaults) whose id is
   * the transaction id. Replies {@link AccountReply}.
   */
  record Credit(
      String transactionId,
      long amount,
      GrantTerms terms,
      Map<String, String> metadata,
      ActorRef<AccountReply> replyTo)
      implements Request {
    public Credit {
      terms = terms == null ? GrantTerms.DEFAULT : terms;
      metadata = Map.copyOf(metadata);
    }

    public Credit(
        String transactionId,
        long amount,
        Map<String, String> metadata,
        ActorRef<AccountReply> replyTo) {
      this(transactionId, amount, null, metadata, replyTo);
    }
  }

  /**
   * Gives {@code amount} back for a claim whose debit spent {@code spent}, to those grants (see
   * {@link AccountRules#refund}); what lapsed meanwhile comes back as a promotional grant living
   * {@code promotionalTtl}. Replies {@link AccountReply}.
   */
  record Refund(
      String transactionId,
      long amount,
      List<SpentGrant> spent,
      Duration promotionalTtl,
      Map<String, String> metadata,
      ActorRef<AccountReply> replyTo)
      implements Request {
    public Refund {
      spent = List.copyOf(spent);
      metadata = Map.copyOf(metadata);
    }
  }

  /** Voids what is left of a grant (a chargeback). Replies {@link AccountReply}. */
  record VoidGrant(
      String transactionId, String grantId, String reason, ActorRef<AccountReply> replyTo)
      implements Request {}

  /** Takes credits, at most what is available. Replies {@link AccountReply}. */
  record Debit(
      String transactionId,
      long amount,
      Map<String, String> metadata,
      ActorRef<AccountReply> replyTo)
      implements Request {
    public Debit {
      metadata = Map.copyOf(metadata);
    }
  }

  /**
   * Holds credits until captured, released or expired; the hold id is the transaction id. {@code
   * ttl} null means the configured default. Replies {@link AccountReply}.
   */
  record Reserve(
      String holdId,
      long amount,
      Duration ttl,
      Map<String, String> metadata,
      ActorRef<AccountReply> replyTo)
      implements Request {
    public Reserve {
      metadata = Map.copyOf(metadata);
    }
  }

  /** Turns a hold into a debit in one step. Replies {@link AccountReply}. */
  record Capture(String holdId, ActorRef<AccountReply> replyTo) implements Request {}

  /** Gives a hold's credits back. Replies {@link AccountReply}. */
  record Release(String holdId, ActorRef<AccountReply> replyTo) implements Request {}

  /**
   * Sets the low-balance threshold (0: off); the one in force sent again is a repeat. Replies
   * {@link AccountReply}.
   */
  record SetAlerts(long lowBalanceThreshold, ActorRef<AccountReply> replyTo) implements Request {}

  /** Reads the account. Replies {@link AccountReply}. */
  record Get(ActorRef<AccountReply> replyTo) implements Request {}

  /** From the wake-up sweeper: record due expiries. Replies {@link WakeupReply}. */
  record WakeUp(ActorRef<WakeupReply> replyTo) implements AccountCommand {}

  /** The durable wake-up for new holds was written (or failed); held reservations may proceed. */
  record WakeupRegistered(Instant dueAt, boolean ok) implements AccountCommand {}

  /**
   * Transactions looked up in the journal for commands whose ids memory no longer has: the events
   * with those ids ({@code ok} false when the database could not be read). {@code generation} tells
   * an answer meant for an incarnation before a restart.
   */
  record LookedUp(long generation, Set<String> ids, List<AccountEvent> events, boolean ok)
      implements AccountCommand {
    public LookedUp {
      ids = Set.copyOf(ids);
      events = List.copyOf(events);
    }
  }

  /**
   * From the account's gate: commands that arrived while the previous write was in flight, decided
   * in order and written together, after the commands that waited for the journal's answers ({@link
   * LookedUp}) the batch starts with. The gate is told {@link Written} once they are durable.
   */
  record Batch(List<AccountCommand> commands) implements AccountCommand {
    public Batch {
      commands = List.copyOf(commands);
    }
  }

  /** To the gate: the last batch is durable (or the entity recovered), send the next one. */
  enum Written implements AccountCommand {
    INSTANCE
  }

  /**
   * To the account itself, once recovered from a failed write: take the next held-back message. The
   * journal answers a failed write of n events n times; the first answer restarts the account, the
   * others reach the new incarnation while it recovers and are held back in front of the commands
   * that arrived during the restart's backoff. Pekko (1.2) takes the next held-back message only
   * after handling a command, and handling a stale answer is not one: without these, the commands
   * behind it wait for the next command to arrive, which for a quiet account may be never.
   */
  enum Unstash implements AccountCommand {
    INSTANCE
  }
}
