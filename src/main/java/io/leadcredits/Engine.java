package io.leadcredits;

import com.typesafe.config.Config;

/** Placeholder until the HTTP server lands; replaced by the real wiring. */
public final class Engine {
  private Engine() {}

  public static Engine start(Config config) {
    throw new UnsupportedOperationException("the engine is not wired yet");
  }

  public void awaitTermination() {}
}
