package io.leadcredits.it;

import io.leadcredits.EngineKind;
import io.leadcredits.support.RunningService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

/**
 * A contract engines keep over HTTP. A test class extending this one is a {@code
 * ParameterizedClass} whose source names the engines (all of them, or the ones the contract is
 * about): its tests run once per engine, each time against one service of that engine on its own
 * embedded PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EngineContract {
  @Parameter EngineKind engine;

  RunningService service;
  private Path dataDir;

  /** The engine behind the HTTP API under test. */
  EngineKind engine() {
    return engine;
  }

  @BeforeParameterizedClassInvocation(injectArguments = false)
  void start() throws IOException {
    dataDir = Files.createTempDirectory("leadcredits-" + engine.label());
    service = new RunningService(dataDir, engine);
  }

  @AfterParameterizedClassInvocation(injectArguments = false)
  void stop() {
    service.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(EngineContract::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
