package io.leadcredits.logging;

import org.slf4j.MDC;

/**
 * Puts the ids a log line is about ({@code accountId}, {@code leadId}, {@code claimId}, {@code
 * transactionId}) into the logging MDC for the lines logged inside a try-with-resources block, so
 * the JSON log carries them as fields. Actors and futures hop threads: a scope is opened around the
 * log statements themselves, on the thread that logs, and removes what it put when it closes.
 */
public final class Mdc implements AutoCloseable {
  public static final String ACCOUNT_ID = "accountId";
  public static final String LEAD_ID = "leadId";
  public static final String CLAIM_ID = "claimId";
  public static final String TRANSACTION_ID = "transactionId";

  private final String[] keys;

  private Mdc(String[] keys) {
    this.keys = keys;
  }

  /** {@code keysAndValues}: key, value, key, value…; a null value leaves its key out. */
  public static Mdc of(String... keysAndValues) {
    String[] keys = new String[keysAndValues.length / 2];
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        keys[i / 2] = keysAndValues[i];
        MDC.put(keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return new Mdc(keys);
  }

  @Override
  public void close() {
    for (String key : keys) {
      if (key != null) {
        MDC.remove(key);
      }
    }
  }
}
