package io.leadcredits.refund;

import io.leadcredits.JsonSerializable;
import io.leadcredits.Rejection;

/** What a refund answers. */
public sealed interface RefundReply extends JsonSerializable {

  /** Done (or a repeat of what was done: {@code replayed}); the refund as it stands now. */
  record Accepted(RefundView refund, boolean replayed) implements RefundReply {}

  record Rejected(Rejection reason, String detail) implements RefundReply {}

  /** Nothing was decided: the journal could not be written. Safe to retry. */
  record Unavailable(String detail) implements RefundReply {}
}
