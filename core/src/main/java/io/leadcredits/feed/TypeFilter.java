package io.leadcredits.feed;

import java.util.List;
import java.util.Optional;

/**
 * Which event types a reader asked for: each entry an exact type or a prefix ending in {@code .}
 * ({@code credit.}); none means every type.
 */
public record TypeFilter(List<String> entries) {
  public static final TypeFilter ALL = new TypeFilter(List.of());

  public TypeFilter {
    entries = List.copyOf(entries);
  }

  /**
   * The filter of {@code entries}, or empty when one names no type the feed has: a misspelt type
   * would otherwise wait forever for events that never come.
   */
  public static Optional<TypeFilter> of(List<String> entries) {
    for (String e : entries) {
      boolean known =
          e.endsWith(".")
              ? EventTypes.ALL.stream().anyMatch(t -> t.startsWith(e))
              : EventTypes.ALL.contains(e);
      if (!known) {
        return Optional.empty();
      }
    }
    return Optional.of(new TypeFilter(entries));
  }

  public boolean accepts(String type) {
    if (entries.isEmpty()) {
      return true;
    }
    for (String e : entries) {
      if (e.endsWith(".") ? type.startsWith(e) : type.equals(e)) {
        return true;
      }
    }
    return false;
  }
}
