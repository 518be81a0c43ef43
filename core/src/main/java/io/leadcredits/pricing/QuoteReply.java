package io.leadcredits.pricing;

import io.leadcredits.JsonSerializable;
import io.leadcredits.Rejection;

/** What a claim on a lead made now would cost a tradie, or why there would be no claim. */
public sealed interface QuoteReply extends JsonSerializable {

  /**
   * The price a claim made now would pay; for a tradie who holds a claim already, the price that
   * claim paid (a repeated claim is never priced again).
   */
  record Quoted(String leadId, String tradieId, Price price) implements QuoteReply {}

  /** A claim made now would be refused for {@code reason}. */
  record Refused(Rejection reason, String detail) implements QuoteReply {}
}
