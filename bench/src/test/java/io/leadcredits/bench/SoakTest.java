package io.leadcredits.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.EngineKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short soak through the whole benchmark (about a minute): hot-account on the actor engine in a
 * child JVM, three 10 s intervals each sampled for its rate, the service's heap after GC and the
 * sizes in the database, then the checks.
 */
class SoakTest {
  @Test
  void samplesEveryIntervalIntoSoakJson(@TempDir Path dir) throws Exception {
    BenchOptions.Soak soak = new BenchOptions.Soak(Duration.ofSeconds(30), Duration.ofSeconds(10));
    BenchOptions options =
        BenchOptions.of(
                true,
                List.of("hot-account"),
                List.of(EngineKind.ACTORS),
                8,
                soak.window(),
                Duration.ofSeconds(2),
                dir,
                false,
                "test",
                1,
                List.of())
            .withSoak(soak);
    StringWriter console = new StringWriter();
    new BenchRunner(options, new PrintWriter(console)).run();

    JsonNode json = new ObjectMapper().readTree(dir.resolve("soak.json").toFile());
    assertThat(json.path("scenario").asText()).isEqualTo("hot-account");
    assertThat(json.path("engine").asText()).isEqualTo("actors");
    assertThat(json.path("invariantsHold").asBoolean()).isTrue();
    JsonNode minutes = json.path("minutes");
    assertThat(minutes.size()).isGreaterThanOrEqualTo(3);
    long journalBefore = 0;
    for (int i = 0; i < minutes.size(); i++) {
      JsonNode m = minutes.get(i);
      assertThat(m.path("minute").asInt()).isEqualTo(i + 1);
      assertThat(m.path("throughputPerSecond").asDouble()).isPositive();
      assertThat(m.path("p99Ms").asDouble()).isPositive();
      assertThat(m.path("heapAfterGcBytes").asLong()).isPositive();
      assertThat(m.has("snapshotBytes")).isTrue();
      assertThat(m.path("journalBytes").asLong()).isGreaterThanOrEqualTo(journalBefore);
      journalBefore = m.path("journalBytes").asLong();
      assertThat(m.path("journalEvents").asLong()).isPositive();
      assertThat(m.path("lookupScans").isNumber()).isTrue();
      assertThat(m.path("lookupRowsRead").isNumber()).isTrue();
    }
    assertThat(json.path("verdict").path("summary").asText())
        .isEqualTo("not measured (needs 15 minutes)");
    assertThat(Files.readString(dir.resolve("soak.md"))).contains("| 3 |");
    assertThat(console.toString()).contains("actors minute 3:");
    assertThat(dir.resolve("report.json")).exists();
  }
}
