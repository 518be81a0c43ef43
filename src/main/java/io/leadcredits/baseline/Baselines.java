package io.leadcredits.baseline;

import io.leadcredits.EngineKind;
import io.leadcredits.Settings;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.persistence.Database;
import java.time.Clock;

/** Builds a baseline engine. Placeholder until the baselines land. */
public final class Baselines {
  private Baselines() {}

  public static CreditEngine create(
      EngineKind kind, Database database, Settings settings, Clock clock) {
    throw new UnsupportedOperationException("the " + kind.label() + " engine is not built yet");
  }
}
