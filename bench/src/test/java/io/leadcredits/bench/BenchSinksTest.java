package io.leadcredits.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.EngineKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code bench --sinks} reads and writes: the lag gauges out of a Prometheus scrape, their
 * p99, and the with/without ratio and sink figures in report.json and report.md.
 */
class BenchSinksTest {
  @Test
  void readsEachSinksLagGaugeFromAScrape() {
    String scrape =
        String.join(
            "\n",
            "# HELP leadcredits_event_sink_lag_seconds age of the oldest event",
            "# TYPE leadcredits_event_sink_lag_seconds gauge",
            "leadcredits_event_sink_lag_seconds{sink=\"kafka\",} 0.25",
            "leadcredits_event_sink_lag_seconds{sink=\"webhooks\",} 1.5",
            "leadcredits_events_published_total{sink=\"kafka\",} 12.0",
            "");
    assertThat(BenchSinks.gauge(scrape, "kafka")).isEqualTo(0.25);
    assertThat(BenchSinks.gauge(scrape, "webhooks")).isEqualTo(1.5);
    assertThat(BenchSinks.gauge(scrape, "elsewhere")).isNull();
  }

  @Test
  void theP99IsTheNearestRank() {
    List<Double> hundred = new java.util.ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      hundred.add((double) i);
    }
    assertThat(BenchSinks.p99(hundred)).isEqualTo(99.0);
    assertThat(BenchSinks.p99(List.of(3.0))).isEqualTo(3.0);
    assertThat(BenchSinks.p99(List.of())).isNaN();
  }

  @Test
  void theReportHasTheRatioWithSinksOverWithoutAndWhatReachedTheSinks() throws Exception {
    BenchOptions options = options(List.of(EngineKind.ACTORS));
    RunResult.Sinks delivered =
        new RunResult.Sinks(1_000, 2, 0.2, Double.NaN, 0.4, 0, 3, 0, 0, 1.5, List.of());
    Report report =
        new Report(
            options,
            Instant.EPOCH,
            "abc",
            new Machine(2, 8, "java", "os", "postgres", Map.of("fsync", "on")),
            List.of(run("actors", 1_000, null), run("actors+sinks", 900, delivered)),
            List.of(),
            Probes.Results.none());
    ObjectMapper mapper = new ObjectMapper();
    JsonNode json = mapper.readTree(mapper.writeValueAsString(report.json(mapper)));

    assertThat(json.at("/ratios/hot-lead/actorsWithSinksOverActors").asDouble()).isEqualTo(0.9);
    JsonNode sinks = json.at("/results/1/sinks");
    assertThat(sinks.get("kafkaLagP99Seconds").asDouble()).isEqualTo(0.2);
    assertThat(sinks.get("webhooksLagP99Seconds").isNull()).isTrue();
    assertThat(sinks.get("allDelivered").asBoolean()).isFalse();
    assertThat(sinks.get("missingWebhooks").asLong()).isEqualTo(3);
    assertThat(json.at("/results/0/sinks").isMissingNode()).isTrue();
    String md = ReportMarkdown.of(report);
    assertThat(md).contains("actors with both sinks / without: **0.90×**");
    assertThat(md).contains("MISSING: 0 from Kafka, 3 from the receivers");
  }

  @Test
  void sinksNeedTheActorEngine() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> options(List.of(EngineKind.LOCKS)))
        .hasMessageContaining("--sinks needs the actors engine");
  }

  /** A quick one-scenario run with sinks on {@code engines}. */
  private static BenchOptions options(List<EngineKind> engines) {
    return BenchOptions.of(
            true,
            List.of("hot-lead"),
            engines,
            8,
            Duration.ofSeconds(3),
            Duration.ofSeconds(1),
            Path.of("unused"),
            false,
            "test",
            1,
            List.of())
        .withSinks(true);
  }

  private static RunResult run(String engine, long perSecond, RunResult.Sinks sinks) {
    return new RunResult(
        "hot-lead",
        engine,
        1,
        8,
        10,
        perSecond * 10,
        perSecond * 10,
        0,
        0,
        0,
        new RunResult.Percentiles(1, 2, 3, 4, 5),
        true,
        new RunResult.Cpu(0.1, 0.6, 0.8),
        new ClientChecks.Verdict(true, List.of(), 1, 1, 0),
        List.of(),
        null,
        sinks,
        1);
  }
}
