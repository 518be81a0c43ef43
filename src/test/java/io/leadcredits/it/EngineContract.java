package io.leadcredits.it;

import io.leadcredits.EngineKind;
import io.leadcredits.support.RunningService;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A contract every engine must keep over HTTP: one service per test class, on the engine a subclass
 * names, so the same assertions run against the actor engine and both baselines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EngineContract {
  RunningService service;

  /** The engine behind the HTTP API under test. */
  abstract EngineKind engine();

  @BeforeAll
  void start(@TempDir Path dataDir) {
    service = new RunningService(dataDir, engine());
  }

  @AfterAll
  void stop() {
    service.close();
  }
}
