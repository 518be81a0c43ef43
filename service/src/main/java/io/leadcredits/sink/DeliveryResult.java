package io.leadcredits.sink;

import java.util.Locale;

/** How one attempt ended, as {@code webhook_deliveries_total{result}} counts it. */
public enum DeliveryResult {
  /** Answered 2xx within the timeout: the delivery is done. */
  DELIVERED,
  /** Anything else (an error status, no answer, a timeout): it is tried again later. */
  RETRYING,
  /** Failed, and the next try would come after the give-up age: the delivery is FAILED. */
  GIVEN_UP,
  /** Answered 410 Gone: the delivery is FAILED and the endpoint disabled. */
  GONE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
