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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole benchmark, small (about 15 s): one scenario on the actor engine in a child JVM, its
 * checks, and reports in the shape.
 */
class BenchRunnerTest {
  @Test
  void writesReportsWhoseInvariantsHold(@TempDir Path dir) throws Exception {
    BenchOptions options =
        BenchOptions.of(
            true,
            List.of("hot-lead"),
            List.of(EngineKind.ACTORS),
            32,
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            dir,
            false,
            "test",
            1,
            List.of());
    new BenchRunner(options, new PrintWriter(new StringWriter())).run();

    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.path("machine").path("cores").asInt()).isPositive();
    // Read back from the server: the embedded PostgreSQL runs as production does.
    assertThat(report.path("postgresSettings").path("fsync").asText()).isEqualTo("on");
    assertThat(report.path("postgresSettings").path("synchronous_commit").asText()).isEqualTo("on");
    assertThat(report.path("durable").asBoolean()).isTrue();
    assertThat(report.path("engineOrder").get(0).asText()).isEqualTo("hot-lead/actors");
    assertThat(report.has("gitCommit")).isTrue();
    assertThat(report.path("jvmFlags").has("service")).isTrue();
    JsonNode result = report.path("results").get(0);
    assertThat(result.path("scenario").asText()).isEqualTo("hot-lead");
    assertThat(result.path("repeat").asInt()).isEqualTo(1);
    assertThat(result.path("mode").asText()).isEqualTo("closed");
    assertThat(result.path("requests").asLong()).isPositive();
    assertThat(result.path("latencyMs").has("p999")).isTrue();
    assertThat(result.path("invariantsHold").asBoolean()).isTrue();
    assertThat(Files.readString(dir.resolve("report.md"))).contains("| actors |");
    assertThat(Files.readString(dir.resolve("report.svg"))).startsWith("<svg");
  }

  @Test
  @Tag("slow")
  void comparesOneNodeWithAClusterOnTheSameDatabase(@TempDir Path dir) throws Exception {
    BenchOptions options =
        BenchOptions.of(
            true,
            List.of("hot-lead"),
            List.of(EngineKind.ACTORS),
            32,
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            dir,
            false,
            "test",
            2,
            List.of());
    new BenchRunner(options, new PrintWriter(new StringWriter())).run();

    JsonNode results =
        new ObjectMapper().readTree(dir.resolve("report.json").toFile()).path("results");
    assertThat(results).hasSize(2);
    assertThat(results.get(0).path("engine").asText()).isEqualTo("actors");
    assertThat(results.get(1).path("engine").asText()).isEqualTo("actors-2n");
    for (JsonNode r : results) {
      assertThat(r.path("requests").asLong()).isPositive();
      assertThat(r.path("invariantsHold").asBoolean()).isTrue();
    }
  }
}
