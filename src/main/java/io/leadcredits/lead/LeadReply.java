package io.leadcredits.lead;

import io.leadcredits.JsonSerializable;
import io.leadcredits.Rejection;

/** The answer to a lead command other than a claim. */
public sealed interface LeadReply extends JsonSerializable {

  record Accepted(LeadView view) implements LeadReply {}

  record Rejected(Rejection reason, String detail) implements LeadReply {}
}
