package io.leadcredits.bench;

import java.util.List;
import java.util.Optional;

/** Every scenario, in the order the benchmark runs them. */
final class Scenarios {
  private Scenarios() {}

  static List<Scenario> all() {
    return List.of(
        new HotLeadScenario(),
        new HotAccountScenario(),
        new UniformScenario(),
        new BalanceReadScenario());
  }

  static Optional<Scenario> named(String name) {
    return all().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  static List<String> names() {
    return all().stream().map(Scenario::name).toList();
  }
}
