package io.leadcredits.refund;

import java.util.Optional;

/** Why a tradie asks for credits back; {@code LEAD_VOIDED} is given by the engine alone. */
public enum RefundReason {
  CUSTOMER_UNREACHABLE,
  WRONG_CATEGORY,
  OUT_OF_AREA,
  DUPLICATE,
  FAKE,
  OTHER,
  LEAD_VOIDED;

  /** A reason a tradie may give; empty for any other text (and for {@code LEAD_VOIDED}). */
  public static Optional<RefundReason> ofRequest(String name) {
    for (RefundReason r : values()) {
      if (r != LEAD_VOIDED && r.name().equals(name)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
