package io.leadcredits.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One scrape of {@code /metrics}, parsed from the Prometheus text format into series. */
public final class Scrape {

  /** One sample line: a name, its labels and its value. */
  public record Series(String name, Map<String, String> labels, double value) {}

  private final List<Series> series;

  private Scrape(List<Series> series) {
    this.series = List.copyOf(series);
  }

  public static Scrape parse(String text) {
    List<Series> all = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      Map<String, String> labels = new LinkedHashMap<>();
      String name;
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        String inside = line.substring(brace + 1, line.lastIndexOf('}'));
        for (String pair : inside.split(",(?=[a-zA-Z_]+=\")")) {
          int eq = pair.indexOf('=');
          labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
        }
      } else {
        name = line.substring(0, space);
      }
      all.add(new Series(name, labels, Double.parseDouble(line.substring(space + 1))));
    }
    return new Scrape(all);
  }

  /** Every series of {@code name}. */
  public List<Series> all(String name) {
    return series.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** {@link #value} of a series that counts (a counter, a histogram's count or bucket). */
  public long count(String name, String... labels) {
    double v = value(name, labels);
    if (v != Math.rint(v)) {
      throw new AssertionError(name + " " + List.of(labels) + " is not a count: " + v);
    }
    return (long) v;
  }

  /**
   * The value of the one series of {@code name} whose labels include {@code labels} (key, value,
   * key, value…); fails when there is none or more than one.
   */
  public double value(String name, String... labels) {
    List<Series> found =
        all(name).stream()
            .filter(
                s -> {
                  for (int i = 0; i < labels.length; i += 2) {
                    if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                      return false;
                    }
                  }
                  return true;
                })
            .toList();
    if (found.size() != 1) {
      throw new AssertionError(
          found.size() + " series of " + name + " with " + List.of(labels) + ": " + found);
    }
    return found.get(0).value();
  }
}
