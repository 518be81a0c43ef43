package io.leadcredits.account;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Finds an account's transactions in its journal by id: how an account answers a repeat of an id it
 * no longer keeps in memory. The journal is the record, so what it finds is exactly what was
 * applied; the account turns the events into the same answer it gave the first time.
 */
public interface TransactionLookup {

  /** Every event of the account with one of these transaction ids, in journal order. */
  CompletionStage<List<AccountEvent>> events(String accountId, Collection<String> transactionIds);

  /** How many claims an account paid for, and how many refunds it was credited, in a period. */
  record ClaimsAndRefunds(long claims, long refunds) {}

  /**
   * The claims the account paid for and the refunds it was credited since {@code since}: what a
   * refund request is flagged by. Without a journal to count in, none.
   */
  default CompletionStage<ClaimsAndRefunds> claimsAndRefundsSince(
      String accountId, java.time.Instant since) {
    return CompletableFuture.completedFuture(new ClaimsAndRefunds(0, 0));
  }

  /**
   * For an account run without a journal index (the entity tests, which never fill its memory): a
   * look-up fails, and the commands that needed it are answered unavailable.
   */
  TransactionLookup NONE =
      (accountId, ids) ->
          CompletableFuture.failedFuture(
              new IllegalStateException("no journal index to look transactions up in"));
}
