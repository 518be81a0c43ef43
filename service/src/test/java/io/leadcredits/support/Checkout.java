package io.leadcredits.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout a test runs in: Maven runs each module's tests in the module's own directory. */
public final class Checkout {
  private Checkout() {}

  /**
   * The checkout's root: the nearest directory up from here holding the {@code leadcredits}
   * launcher.
   */
  public static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("leadcredits"))
          && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "not inside a leadcredits checkout: " + Path.of("").toAbsolutePath());
  }

  /** A path relative to the checkout's root. */
  public static Path resolve(String first, String... more) {
    return root().resolve(Path.of(first, more));
  }
}
