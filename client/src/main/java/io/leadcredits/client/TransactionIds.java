package io.leadcredits.client;

import java.util.UUID;

/** A fresh transaction id per call that changes something; its retries reuse it. */
final class TransactionIds {
  private TransactionIds() {}

  static String fresh() {
    return UUID.randomUUID().toString();
  }
}
