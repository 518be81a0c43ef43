package io.leadcredits.wakeup;

import io.leadcredits.JsonSerializable;
import java.time.Instant;
import java.util.Optional;

/** An entity's answer to a wake-up: when it next has work due, if ever ({@code null}: never). */
public record WakeupReply(Instant nextDue) implements JsonSerializable {

  public Optional<Instant> next() {
    return Optional.ofNullable(nextDue);
  }
}
