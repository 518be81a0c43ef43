package io.leadcredits.lead;

import io.leadcredits.JsonSerializable;
import io.leadcredits.Rejection;

/** The answer to a lead command other than a claim. */
public sealed interface LeadReply extends JsonSerializable {

  /** {@code replayed}: a repeat of a create or close that had already been applied. */
  record Accepted(LeadView view, boolean replayed) implements LeadReply {}

  record Rejected(Rejection reason, String detail) implements LeadReply {}

  /** Nothing was decided: the journal could not be written. Safe to retry. */
  record Unavailable(String detail) implements LeadReply {}
}
