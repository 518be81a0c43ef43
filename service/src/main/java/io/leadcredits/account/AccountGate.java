package io.leadcredits.account;

import io.leadcredits.Limits;
import io.leadcredits.Settings;
import io.leadcredits.account.AccountCommand.Batch;
import io.leadcredits.account.AccountCommand.LookedUp;
import io.leadcredits.account.AccountCommand.Unstash;
import io.leadcredits.account.AccountCommand.WakeUp;
import io.leadcredits.account.AccountCommand.WakeupRegistered;
import io.leadcredits.account.AccountCommand.Written;
import io.leadcredits.gauges.EntityGauges;
import io.leadcredits.wakeup.WakeupStore;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The sharded face of an account: it hands commands to the event-sourced {@link Account} in
 * batches. While one batch is being written, new commands wait here; when the write is durable they
 * all go out as the next batch, one journal write for all of them. A hot account therefore writes
 * as often as the journal can take a write, not once per command, and an idle one still answers
 * each command after a single write. The queue is bounded: beyond it a command is answered as
 * unavailable (503, retry) instead of growing memory.
 *
 * <p>The journal's answers to the account's look-ups ({@link LookedUp}) go at the front of the next
 * batch, beside the queue and its bound: the commands that waited for them (at most {@link
 * Limits#transactionsAwaitingLookupMax}) are decided first and written with it, so a look-up never
 * costs the account a write of its own, which would hold every command behind it.
 *
 * <p>The gate sits in front of the account inside the same actor, as an interceptor, not as an
 * actor of its own: a second actor per account would cost more heap than the account's state. The
 * length of its queue is the account's {@link EntityGauges} queue, registered through the account's
 * {@link AccountMetrics} port and closed when the actor stops ({@link EntityGauges.ClosedOnStop}).
 */
public final class AccountGate extends EntityGauges.ClosedOnStop<AccountCommand> {

  /** Commands written together at most; bounds the size of one journal write. */
  static final int batchMax = Limits.accountBatchMax;

  /** Commands waiting at most while a write is in flight. */
  static final int waitingMax = Limits.accountWaitingMax;

  private final AccountMetrics metrics;

  /** Null while nothing waits, so an idle account keeps no queue. */
  private ArrayDeque<AccountCommand> waiting;

  /** The journal's answers for the next batch; null while none wait. */
  private List<AccountCommand> answers;

  private boolean writing;

  private AccountGate(AccountMetrics metrics, EntityGauges.Queue queue) {
    super(AccountCommand.class, queue);
    this.metrics = metrics;
  }

  /** Without a journal index: for tests whose accounts never fill their memory. */
  public static Behavior<AccountCommand> create(
      String accountId,
      Settings settings,
      Clock clock,
      WakeupStore wakeups,
      SnapshotWriter snapshots,
      AccountMetrics metrics) {
    return create(accountId, settings, clock, wakeups, TransactionLookup.NONE, snapshots, metrics);
  }

  public static Behavior<AccountCommand> create(
      String accountId,
      Settings settings,
      Clock clock,
      WakeupStore wakeups,
      TransactionLookup lookup,
      SnapshotWriter snapshots,
      AccountMetrics metrics) {
    return metrics
        .accounts()
        .tracked(
            accountId,
            queue -> new AccountGate(metrics, queue),
            queue ->
                Account.create(
                    accountId, settings, clock, wakeups, lookup, snapshots, metrics, true));
  }

  @Override
  public Behavior<AccountCommand> aroundReceive(
      TypedActorContext<AccountCommand> ctx,
      AccountCommand command,
      ReceiveTarget<AccountCommand> account) {
    if (command == Written.INSTANCE) {
      writing = false;
      return sendBatch(ctx, account);
    }
    if (command instanceof WakeupRegistered || command == Unstash.INSTANCE) {
      // The account's own messages to itself, not commands to decide in a batch.
      return account.apply(ctx, command);
    }
    if (command instanceof LookedUp) {
      if (answers == null) {
        answers = new ArrayList<>();
      }
      answers.add(command);
      return writing ? Behaviors.same() : sendBatch(ctx, account);
    }
    if (waiting == null) {
      waiting = new ArrayDeque<>();
    } else if (waiting.size() >= waitingMax) {
      refuse(command);
      return Behaviors.same();
    }
    waiting.add(command);
    if (writing) {
      publishQueue();
      return Behaviors.same();
    }
    return sendBatch(ctx, account);
  }

  private Behavior<AccountCommand> sendBatch(
      TypedActorContext<AccountCommand> ctx, ReceiveTarget<AccountCommand> account) {
    if (waiting == null && answers == null) {
      return Behaviors.same(); // nothing waits, and the gauge already says so
    }
    List<AccountCommand> batch = new ArrayList<>();
    if (answers != null) {
      batch.addAll(answers);
      answers = null;
    }
    int limit = batch.size() + batchMax;
    while (waiting != null && !waiting.isEmpty() && batch.size() < limit) {
      batch.add(waiting.poll());
    }
    writing = true;
    publishQueue();
    return account.apply(ctx, new Batch(batch));
  }

  /** Publishes the queue length; drops an emptied queue, which after a burst may be large. */
  private void publishQueue() {
    if (waiting != null && waiting.isEmpty()) {
      waiting = null;
    }
    queue.set(waiting == null ? 0 : waiting.size());
  }

  private void refuse(AccountCommand command) {
    TransactionType type = Account.typeOf(command);
    if (type != null) {
      metrics.transaction(type, TransactionStatus.FAILED);
    }
    AccountReply busy = new AccountReply.Overloaded("account is overloaded, retry shortly");
    if (command instanceof AccountCommand.Request r) {
      r.replyTo().tell(busy);
    } else if (!(command instanceof WakeUp)) {
      // A wake-up is simply retried by the sweeper; anything else has no business here.
      throw new IllegalStateException("unexpected command at the gate: " + command);
    }
  }
}
