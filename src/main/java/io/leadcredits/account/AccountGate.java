package io.leadcredits.account;

import io.leadcredits.Settings;
import io.leadcredits.account.AccountCommand.Batch;
import io.leadcredits.account.AccountCommand.WakeUp;
import io.leadcredits.account.AccountCommand.Written;
import io.leadcredits.metrics.EntityGauges;
import io.leadcredits.metrics.Metrics;
import io.leadcredits.metrics.TxStatus;
import io.leadcredits.metrics.TxType;
import io.leadcredits.persistence.SnapshotWriter;
import io.leadcredits.wakeup.WakeupStore;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The sharded face of an account: it forwards commands to the event-sourced {@link Account} in
 * batches. While one batch is being written, new commands wait here; when the write is durable they
 * all go out as the next batch, one journal write for all of them. A hot account therefore writes
 * as often as the journal can take a write, not once per command, and an idle one still answers
 * each command after a single write. The queue is bounded: beyond it a command is answered as
 * unavailable (503, retry) instead of growing memory.
 */
public final class AccountGate extends AbstractBehavior<AccountCommand> {

  /** Commands written together at most; bounds the size of one journal write. */
  static final int batchMax = 500;

  /** Commands waiting at most while a write is in flight. */
  static final int waitingMax = 10_000;

  private final ActorRef<AccountCommand> account;
  private final ArrayDeque<AccountCommand> waiting = new ArrayDeque<>();
  private final Metrics metrics;
  private final EntityGauges.Queue queue;
  private boolean writing;

  public static Behavior<AccountCommand> create(
      String accountId,
      Settings settings,
      Clock clock,
      WakeupStore wakeups,
      SnapshotWriter snapshots,
      Metrics metrics) {
    return Behaviors.setup(
        ctx -> new AccountGate(ctx, accountId, settings, clock, wakeups, snapshots, metrics));
  }

  private AccountGate(
      ActorContext<AccountCommand> context,
      String accountId,
      Settings settings,
      Clock clock,
      WakeupStore wakeups,
      SnapshotWriter snapshots,
      Metrics metrics) {
    super(context);
    this.metrics = metrics;
    this.queue = metrics.accounts().register(accountId);
    this.account =
        context.spawn(
            Account.create(
                accountId, settings, clock, wakeups, snapshots, metrics, context.getSelf()),
            "entity");
  }

  @Override
  public Receive<AccountCommand> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Written.INSTANCE, this::onWritten)
        .onMessage(AccountCommand.class, this::onCommand)
        .onSignal(PostStop.class, stopped -> onStopped())
        .build();
  }

  private Behavior<AccountCommand> onCommand(AccountCommand command) {
    if (waiting.size() >= waitingMax) {
      refuse(command);
      return this;
    }
    waiting.add(command);
    if (!writing) {
      sendBatch();
    }
    queue.set(waiting.size());
    return this;
  }

  private Behavior<AccountCommand> onWritten() {
    writing = false;
    if (!waiting.isEmpty()) {
      sendBatch();
    }
    queue.set(waiting.size());
    return this;
  }

  private Behavior<AccountCommand> onStopped() {
    queue.close();
    return this;
  }

  private void sendBatch() {
    List<AccountCommand> batch = new ArrayList<>(Math.min(waiting.size(), batchMax));
    while (!waiting.isEmpty() && batch.size() < batchMax) {
      batch.add(waiting.poll());
    }
    writing = true;
    account.tell(new Batch(batch, getContext().getSelf()));
  }

  private void refuse(AccountCommand command) {
    TxType type = Account.typeOf(command);
    if (type != null) {
      metrics.transaction(type, TxStatus.FAILED);
    }
    AccountReply busy = new AccountReply.Overloaded("account is overloaded, retry shortly");
    if (command instanceof AccountCommand.Credit c) {
      c.replyTo().tell(busy);
    } else if (command instanceof AccountCommand.Debit d) {
      d.replyTo().tell(busy);
    } else if (command instanceof AccountCommand.Reserve r) {
      r.replyTo().tell(busy);
    } else if (command instanceof AccountCommand.Capture c) {
      c.replyTo().tell(busy);
    } else if (command instanceof AccountCommand.Release r) {
      r.replyTo().tell(busy);
    } else if (command instanceof AccountCommand.Get g) {
      g.replyTo().tell(busy);
    } else if (!(command instanceof WakeUp)) {
      // A wake-up is simply retried by the sweeper; anything else has no business here.
      throw new IllegalStateException("unexpected command at the gate: " + command);
    }
  }
}
