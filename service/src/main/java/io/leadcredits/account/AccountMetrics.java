package io.leadcredits.account;

import io.leadcredits.gauges.EntityGauges;

/**
 * What an account reports as it works: each transaction by type and how it ended, each journal
 * write, and its queue among the live accounts of this node. The account owns this port and the
 * service's {@code metrics.Metrics} implements it, so the metrics depend on the account's
 * vocabulary ({@link TransactionType}, {@link TransactionStatus}) and the account on no metrics:
 * the packages form no cycle. The queue is kept in {@link EntityGauges}, which sits below both.
 *
 * <p>Every call is on the hot path, once per command or per write: an implementation counts without
 * allocating and without looking a meter up (Metrics reads an array by the enums' ordinals).
 */
public interface AccountMetrics {

  void transaction(TransactionType type, TransactionStatus status);

  /** One journal write that took {@code nanos} and answered {@code commands} commands. */
  void journalWrite(long nanos, int commands);

  /** The live accounts of this node, in which each account registers its queue while it lives. */
  EntityGauges accounts();

  /** Counts nothing: for accounts run on their own, as the entity tests do. */
  AccountMetrics NONE =
      new AccountMetrics() {
        private final EntityGauges unread = EntityGauges.unread("account");

        @Override
        public void transaction(TransactionType type, TransactionStatus status) {}

        @Override
        public void journalWrite(long nanos, int commands) {}

        @Override
        public EntityGauges accounts() {
          return unread;
        }
      };
}
