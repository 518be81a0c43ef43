package io.leadcredits.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.EngineKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's targets section: which targets a run meets, by how much it misses the others. */
class TargetsTest {
  private static final Machine machine =
      new Machine(2, 8, "java", "os", "postgres", java.util.Map.of("fsync", "on"));

  @Test
  void aRatioBelowItsTargetIsMissedByTheFactorItLacks() {
    Report report =
        report(
            run("hot-lead", "actors", 256, 15_000, 24, 0),
            run("hot-lead", "locks", 256, 1_400, 170, 0),
            run("hot-lead", "sql", 256, 7_500, 40, 0));

    Targets.Verdict locks = verdict(report, "hot-lead: actors ≥ 10× locks throughput");
    Targets.Verdict sql = verdict(report, "hot-lead: actors ≥ 2.5× sql throughput");
    Targets.Verdict clean = verdict(report, "hot-lead: actors p99 ≤ 50 ms");

    assertThat(locks.met()).isTrue();
    assertThat(locks.shortBy()).isNull();
    assertThat(sql.met()).isFalse();
    assertThat(sql.shortBy()).isCloseTo(1.25, within(0.01));
    assertThat(sql.measured()).contains("2.00×");
    assertThat(sql.evidence())
        .contains("18,750 req/s leaves 107 µs of machine CPU per request on 2 cores")
        .contains("actors: machine CPU 80%, service 80 µs and machine 107 µs")
        .contains("sql: machine CPU 80%");
    assertThat(clean.met()).isTrue();
  }

  @Test
  void balanceReadIsJudgedAgainstSqlInTheSameRunAsWellAsByItsRate() {
    Report report = balanceRead(24_000, 13_000);

    Targets.Verdict sql = verdict(report, "balance-read: actors ≥ 3× sql throughput");

    assertThat(sql.met()).isFalse();
    assertThat(sql.measured()).contains("1.85×");
    assertThat(sql.shortBy()).isCloseTo(3 / (24_000 / 13_000.0), within(0.01));
    assertThat(verdict(report, "balance-read: actors ≥ 30,000 reads/s").met()).isFalse();

    Report fast = balanceRead(40_000, 13_000);
    assertThat(verdict(fast, "balance-read: actors ≥ 3× sql throughput").met()).isTrue();
  }

  /** A balance-read run of actors and sql at these rates, both clean. */
  private static Report balanceRead(long actors, long sql) {
    return report(
        run("balance-read", "actors", 256, actors, 20, 0),
        run("balance-read", "sql", 256, sql, 37, 0));
  }

  @Test
  void aRatioAgainstARunWithErrorsDoesNotCount() {
    Report report =
        report(
            run("hot-lead", "actors", 256, 15_000, 24, 0),
            run("hot-lead", "locks", 256, 1_000, 170, 12));

    Targets.Verdict locks = verdict(report, "hot-lead: actors ≥ 10× locks throughput");

    assertThat(locks.met()).isNull();
    assertThat(locks.measured()).contains("15.00×");
    assertThat(locks.evidence()).contains("the locks run was not clean (12 errors");
  }

  @Test
  void errorsMissTheLatencyTargetEvenWithALowP99() {
    Report report =
        report(
            run("hot-account", "actors", 256, 15_000, 70, 0),
            run("hot-lead", "actors", 256, 15_000, 20, 3));

    Targets.Verdict slow = verdict(report, "hot-account: actors p99 ≤ 50 ms");
    Targets.Verdict failing = verdict(report, "hot-lead: actors p99 ≤ 50 ms");

    assertThat(slow.met()).isFalse();
    assertThat(slow.shortBy()).isCloseTo(1.4, within(0.01));
    assertThat(failing.met()).isFalse();
    assertThat(failing.shortBy()).isNull();
    assertThat(failing.measured()).contains("3 errors");
  }

  @Test
  void readsAndHeapAreMeasuredAgainstTheirFigures() {
    Probes.Results probes =
        new Probes.Results(
            Map.of(
                "bytesPerAccount", 4_096,
                "accounts", 1_000_000,
                "bytesPerBarePersistentEntity", 2_900,
                "bytesPerBarePlainEntity", 1_300),
            Map.of(),
            "");
    Report report = report(false, probes, run("balance-read", "actors", 256, 31_000, 20, 0));

    assertThat(verdict(report, "balance-read").met()).isTrue();
    Targets.Verdict heap = verdict(report, "heap");
    assertThat(heap.met()).isFalse();
    assertThat(heap.shortBy()).isCloseTo(4.0, within(0.01));
    assertThat(heap.evidence()).contains("2900 bytes").contains("1300 bytes");
  }

  @Test
  void aTargetNotRunUnderItsConditionsIsNeitherMetNorMissed() {
    Report missing = report(run("hot-lead", "actors", 256, 1, 1, 0));
    Report fewClients =
        report(
            run("hot-lead", "actors", 32, 15_000, 20, 0), run("hot-lead", "locks", 32, 100, 20, 0));
    Report quick =
        report(true, Probes.Results.none(), run("balance-read", "actors", 256, 40_000, 20, 0));

    assertThat(verdict(missing, "hot-lead: actors ≥ 10× locks").met()).isNull();
    assertThat(verdict(missing, "heap").met()).isNull();
    assertThat(verdict(fewClients, "hot-lead: actors ≥ 10× locks").met()).isNull();
    assertThat(verdict(fewClients, "hot-lead: actors ≥ 10× locks").evidence())
        .contains("32 clients");
    assertThat(verdict(quick, "balance-read").met()).isNull();
    assertThat(Targets.oneLine(verdict(missing, "heap")))
        .isEqualTo(
            "heap ≤ 1,024 bytes per resident idle account: not measured (the probes did not run)");
  }

  @Test
  void theReportCarriesTheTargetsInBothFiles() {
    Report report =
        report(
            run("hot-lead", "actors", 256, 15_000, 24, 0),
            run("hot-lead", "sql", 256, 7_500, 40, 0));

    String md = ReportMarkdown.of(report);
    JsonNode json = report.json(new ObjectMapper());

    assertThat(md).contains("## Targets").contains("| hot-lead: actors ≥ 2.5× sql throughput |");
    assertThat(json.path("targets").size()).isEqualTo(Targets.of(report).size());
    assertThat(json.path("targets").get(1).path("met").asBoolean(true)).isFalse();
    assertThat(json.path("targets").get(1).path("shortBy").asDouble())
        .isCloseTo(1.25, within(0.01));
  }

  @Test
  void aRatioTargetIsJudgedOnItsWorstRound() {
    Report report =
        repeated(
            run("hot-lead", "actors", 256, 15_000, 24, 0).withRepeat(1),
            run("hot-lead", "locks", 256, 1_000, 170, 0).withRepeat(1),
            run("hot-lead", "locks", 256, 1_000, 170, 0).withRepeat(2),
            run("hot-lead", "actors", 256, 12_000, 30, 0).withRepeat(2),
            run("hot-lead", "actors", 256, 9_000, 40, 0).withRepeat(3),
            run("hot-lead", "locks", 256, 1_000, 170, 0).withRepeat(3));

    Targets.Verdict locks = verdict(report, "hot-lead: actors ≥ 10× locks throughput");
    Targets.Verdict clean = verdict(report, "hot-lead: actors p99 ≤ 50 ms");
    JsonNode ratios = report.json(new ObjectMapper()).path("ratios").path("hot-lead");

    // The median round (12×) meets 10×; the worst (9×) does not, so the target is missed.
    assertThat(locks.met()).isFalse();
    assertThat(locks.shortBy()).isCloseTo(10 / 9.0, within(0.001));
    assertThat(locks.measured())
        .contains("worst of 3 runs 9.00×")
        .contains("median 12.00×")
        .contains("range 9.00× to 15.00×");
    assertThat(clean.measured()).contains("worst of 3 runs: p99 40.00 ms");
    assertThat(ratios.path("actorsOverLocks").asDouble()).isEqualTo(12.0);
    assertThat(ratios.path("actorsOverLocksRange").toString()).isEqualTo("[9.0,15.0]");
    assertThat(ratios.path("actorsOverLocksRuns").size()).isEqualTo(3);
    assertThat(ratios.path("actorsOverLocksCounts").asBoolean()).isTrue();
    assertThat(report.find("hot-lead", "actors").throughputPerSecond()).isEqualTo(12_000);
    assertThat(ReportMarkdown.of(report))
        .contains("- actors / locks throughput: median **12.00×**, range 9.00× to 15.00× over 3")
        .contains("- actors over 3 runs: median 12,000 req/s (range 9,000 to 15,000)");
  }

  @Test
  void aRoundWithAnUncleanBaselineRunKeepsTheRatioTargetFromCounting() {
    Report report =
        repeated(
            run("hot-lead", "actors", 256, 15_000, 24, 0).withRepeat(1),
            run("hot-lead", "locks", 256, 1_000, 170, 0).withRepeat(1),
            run("hot-lead", "locks", 256, 1_000, 170, 5).withRepeat(2),
            run("hot-lead", "actors", 256, 15_000, 24, 0).withRepeat(2));

    Targets.Verdict locks = verdict(report, "hot-lead: actors ≥ 10× locks throughput");

    assertThat(locks.met()).isNull();
    assertThat(locks.evidence()).contains("the locks run #2 was not clean (5 errors");
    assertThat(
            report
                .json(new ObjectMapper())
                .path("ratios")
                .path("hot-lead")
                .path("actorsOverLocksCounts")
                .asBoolean())
        .isFalse();
  }

  @Test
  void eachResultRecordsItsRoundAndMode() {
    Report report =
        repeated(
            run("hot-lead", "actors", 256, 15_000, 24, 0).withRepeat(1),
            run("hot-lead", "actors", 256, 14_000, 24, 0).withRepeat(2));

    JsonNode json = report.json(new ObjectMapper());

    assertThat(json.path("repeat").asInt()).isEqualTo(3);
    assertThat(json.path("engineOrder").toString())
        .isEqualTo("[\"hot-lead/actors#1\",\"hot-lead/actors#2\"]");
    assertThat(json.path("results").get(1).path("repeat").asInt()).isEqualTo(2);
    assertThat(json.path("results").get(1).path("mode").asText()).isEqualTo("closed");
    assertThat(json.path("baselinePools").path("locks").asInt()).isEqualTo(8);
  }

  @Test
  void roundsAlternateTheirOrder() {
    List<String> engines = List.of("a", "b", "c");

    assertThat(BenchRunner.interleaved(engines, 1)).containsExactly("a", "b", "c");
    assertThat(BenchRunner.interleaved(engines, 2)).containsExactly("c", "b", "a");
    assertThat(BenchRunner.interleaved(engines, 3)).containsExactly("a", "b", "c");
  }

  @Test
  void aPoolSweepNamesTheBestCleanSize() {
    BenchOptions options =
        BenchOptions.of(
                false,
                List.of("hot-lead"),
                List.of(EngineKind.LOCKS),
                256,
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                Path.of("unused"),
                false,
                "test",
                1,
                List.of())
            .withRepeat(2)
            .withPools(new BenchOptions.Pools(8, 8, true));
    Report report =
        new Report(
            options,
            Instant.EPOCH,
            "abc",
            machine,
            List.of(
                run("hot-lead", "locks-pool4", 256, 1_200, 100, 0).withRepeat(1),
                run("hot-lead", "locks-pool8", 256, 1_100, 100, 0).withRepeat(1),
                run("hot-lead", "locks-pool16", 256, 1_500, 100, 3).withRepeat(1),
                run("hot-lead", "locks-pool16", 256, 1_500, 100, 0).withRepeat(2),
                run("hot-lead", "locks-pool8", 256, 1_000, 100, 0).withRepeat(2),
                run("hot-lead", "locks-pool4", 256, 1_300, 100, 0).withRepeat(2)),
            List.of(),
            Probes.Results.none());

    JsonNode sweep = report.json(new ObjectMapper()).path("poolSweep").get(0);

    assertThat(sweep.path("engine").asText()).isEqualTo("locks");
    // 16 served most but failed requests in one run; 4 is the best clean size.
    assertThat(sweep.path("best").asInt()).isEqualTo(4);
    assertThat(sweep.path("points").get(0).path("medianPerSecond").asDouble()).isEqualTo(1_250);
    assertThat(sweep.path("points").get(2).path("clean").asBoolean()).isFalse();
    assertThat(ReportMarkdown.of(report)).contains("| hot-lead | locks | **4** | 1,250 |");
  }

  private static Targets.Verdict verdict(Report report, String targetPrefix) {
    return report.targets.stream()
        .filter(v -> v.target().startsWith(targetPrefix))
        .findFirst()
        .orElseThrow();
  }

  /** A full-size run without the probes. */
  private static Report report(RunResult... results) {
    return report(false, Probes.Results.none(), results);
  }

  private static Report report(boolean quick, Probes.Results probes, RunResult... results) {
    return new Report(
        options(quick), Instant.EPOCH, "abc", machine, List.of(results), List.of(), probes);
  }

  /** A full-size run of three interleaved rounds. */
  private static Report repeated(RunResult... results) {
    return new Report(
        options(false).withRepeat(3),
        Instant.EPOCH,
        "abc",
        machine,
        List.of(results),
        List.of(),
        Probes.Results.none());
  }

  private static BenchOptions options(boolean quick) {
    return BenchOptions.of(
        quick,
        List.of("hot-lead", "hot-account", "balance-read"),
        List.of(EngineKind.values()),
        256,
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        Path.of("unused"),
        true,
        "test",
        1,
        List.of());
  }

  /** A 10 s run at a given rate; the machine's CPU at 80%, the service's at 60%. */
  private static RunResult run(
      String scenario, String engine, int clients, long perSecond, double p99, long errors) {
    return new RunResult(
        scenario,
        engine,
        1,
        clients,
        10,
        perSecond * 10,
        perSecond * 10,
        0,
        errors,
        0,
        new RunResult.Percentiles(p99 / 2, p99 / 1.5, p99, p99 * 1.5, p99 * 2),
        true,
        new RunResult.Cpu(0.1, 0.6, 0.8),
        new ClientChecks.Verdict(true, List.of(), 1, 1, 0),
        List.of(),
        null,
        null,
        1);
  }
}
