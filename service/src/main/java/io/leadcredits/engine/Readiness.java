package io.leadcredits.engine;

/** Whether the node can take traffic; {@code reason} says why not. */
public record Readiness(boolean ready, String reason) {

  public static Readiness up() {
    return new Readiness(true, "ok");
  }

  public static Readiness down(String reason) {
    return new Readiness(false, reason);
  }
}
