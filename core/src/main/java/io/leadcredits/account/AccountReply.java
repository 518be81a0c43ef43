package io.leadcredits.account;

import io.leadcredits.JsonSerializable;
import io.leadcredits.Rejection;

/** The answer to every account command but the wake-up. */
public sealed interface AccountReply extends JsonSerializable {

  /**
   * The change was applied and is durable, or had been applied before ({@code replayed}). {@code
   * balanceAfter} is the balance right after this transaction, also on a replay; {@code view} is
   * the account now.
   */
  record Accepted(AccountView view, long balanceAfter, boolean replayed) implements AccountReply {}

  /** Nothing changed. */
  record Rejected(Rejection reason, String detail) implements AccountReply {}

  /**
   * The engine could not make the change durable right now (the database is unreachable); nothing
   * was applied and the same request may be retried.
   */
  record Unavailable(String detail) implements AccountReply {}

  /** The account sheds load: the command was refused before anything was attempted. */
  record Overloaded(String detail) implements AccountReply {}
}
