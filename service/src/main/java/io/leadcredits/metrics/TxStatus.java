package io.leadcredits.metrics;

import java.util.Locale;

/**
 * How a transaction ended: written to the journal, refused by a rule (nothing written), or not
 * written because the engine could not (overloaded, journal unreachable, a write that failed).
 */
public enum TxStatus {
  SUCCESS,
  REJECTED,
  FAILED;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
