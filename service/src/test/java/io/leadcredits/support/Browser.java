package io.leadcredits.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for browser tests: Debian's {@code chromium} and {@code chromium-driver} at
 * fixed paths, both named explicitly so Selenium Manager never looks for (or downloads) anything.
 * Each browser gets a fresh profile directory and nothing that talks to the network on its own.
 */
public final class Browser {
  /** Elsewhere with {@code -Dleadcredits.chromium=…} and {@code -Dleadcredits.chromedriver=…}. */
  public static final Path CHROMIUM =
      Path.of(System.getProperty("leadcredits.chromium", "/usr/bin/chromium"));

  public static final Path CHROMEDRIVER =
      Path.of(System.getProperty("leadcredits.chromedriver", "/usr/bin/chromedriver"));

  private Browser() {}

  /** Null when both are installed, else what is missing and how to install it. */
  public static String missing() {
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        return p
            + " is not installed: the browser tests are skipped"
            + " (apt-get install -y chromium chromium-driver)";
      }
    }
    return null;
  }

  /** A headless Chromium of {@code width}×{@code height} CSS pixels with a fresh profile. */
  public static ChromeDriver start(Path profile, int width, int height) {
    try {
      Files.createDirectories(profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(30))
            .build();
    return new ChromeDriver(service, options);
  }
}
