package io.leadcredits.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * {@code --rate}, small: the actor engine in a child JVM driven at a low fixed rate, its checks,
 * and an open-loop entry in the reports; hot-lead, which has no open-loop form, listed as not run.
 */
class OpenLoopRunTest {
  @Test
  void aFixedRateRunIsReportedAsOpen(@TempDir Path dir) throws Exception {
    BenchOptions options =
        BenchOptions.of(
            true,
            List.of("hot-lead", "hot-account"),
            List.of(EngineKind.ACTORS),
            4,
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            dir,
            false,
            "test",
            1,
            List.of());
    new BenchRunner(options, new OpenLoopOptions(20L, false), new PrintWriter(new StringWriter()))
        .run();

    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    JsonNode results = report.path("results");
    assertThat(results).hasSize(1);
    JsonNode r = results.get(0);
    assertThat(r.path("mode").asText()).isEqualTo("open");
    assertThat(r.path("scenario").asText()).isEqualTo("hot-account");
    assertThat(r.path("engine").asText()).isEqualTo("actors");
    assertThat(r.path("offeredRate").asLong()).isEqualTo(20);
    assertThat(r.path("connections").asInt()).isEqualTo(4);
    // 40 requests were due in the 2 s window: each was answered or counted as not sent.
    assertThat(r.path("requests").asLong() + r.path("unsent").asLong()).isEqualTo(40);
    assertThat(r.path("requests").asLong()).isPositive();
    assertThat(r.path("achievedRate").asDouble()).isPositive();
    assertThat(r.path("latencyMs").path("max").asDouble()).isPositive();
    assertThat(r.path("invariantsHold").asBoolean()).isTrue();
    assertThat(report.path("skipped").get(0).path("scenario").asText()).isEqualTo("hot-lead");
    assertThat(report.path("skipped").get(0).path("reason").asText()).contains("no open-loop form");
    assertThat(Files.readString(dir.resolve("report.md"))).contains("## Open-loop latency");
    assertThat(Files.readString(dir.resolve("curve.svg"))).contains("data-engine=\"actors\"");
  }

  @Test
  void optionsTakeARateOrACurve() {
    assertThatThrownBy(() -> new OpenLoopOptions(100L, true))
        .hasMessageContaining("exclude each other");
    assertThatThrownBy(() -> new OpenLoopOptions(null, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OpenLoopOptions(0L, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(OpenLoopOptions.rateAt(20_000, 50)).isEqualTo(10_000);
    assertThat(OpenLoopOptions.rateAt(20_000, 110)).isEqualTo(22_000);
    assertThat(OpenLoopOptions.rateAt(3, 10)).isEqualTo(1);
  }
}
