package io.leadcredits.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.EngineKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The open-loop runs in the reports: curve.svg, report.json's entries, report.md and targets. */
class OpenLoopReportTest {
  private static final Machine machine =
      new Machine(2, 8, "java", "os", "postgres", Map.of("fsync", "on"));

  @Test
  void theCurveIsWellFormedXmlWithOneSeriesPerEngine() throws Exception {
    List<OpenLoopResult> open = new ArrayList<>();
    open.addAll(curve("hot-account", "actors", 20_000, 2));
    open.addAll(curve("hot-account", "locks", 1_500, 40));
    open.addAll(curve("hot-account", "sql", 6_000, 9));
    open.addAll(curve("uniform", "actors", 12_000, 3));

    Document svg = parse(CurveSvg.of(open));

    assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(svg.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
    List<Element> series = seriesOf(svg);
    Set<String> engines = new LinkedHashSet<>();
    series.forEach(g -> engines.add(g.getAttribute("data-engine")));
    // A panel per scenario: three engines in hot-account's, one in uniform's.
    assertThat(series).hasSize(4);
    assertThat(engines).containsExactly("actors", "locks", "sql");
    for (Element g : series) {
      NodeList lines = g.getElementsByTagName("polyline");
      assertThat(lines.getLength()).isEqualTo(5);
      for (int i = 0; i < lines.getLength(); i++) {
        String points = ((Element) lines.item(i)).getAttribute("points");
        assertThat(points.split(" ")).hasSize(OpenLoopOptions.curvePercents.size());
      }
    }
    // Rising offered load moves right: the x of each series' points only grows.
    String p99 =
        ((Element) series.get(0).getElementsByTagName("polyline").item(2)).getAttribute("points");
    int previous = Integer.MIN_VALUE;
    for (String xy : p99.split(" ")) {
      int x = Integer.parseInt(xy.split(",")[0]);
      assertThat(x).isGreaterThan(previous);
      previous = x;
    }
  }

  @Test
  void aSingleRatePerEngineIsStillOneSeriesEach() throws Exception {
    List<OpenLoopResult> open =
        List.of(
            result("balance-read", "actors", 5_000, null, null, 1.2, 0),
            result("balance-read", "sql", 5_000, null, null, 3.4, 0));

    List<Element> series = seriesOf(parse(CurveSvg.of(open)));

    assertThat(series)
        .extracting(g -> g.getAttribute("data-engine"))
        .containsExactly("actors", "sql");
  }

  @Test
  void openResultsAreReportedAsOpenWithTheirRates(@TempDir Path dir) throws Exception {
    Report report = report(curve("hot-account", "actors", 20_000, 2));

    report.write(dir);

    JsonNode results =
        new ObjectMapper().readTree(dir.resolve("report.json").toFile()).path("results");
    assertThat(results).hasSize(OpenLoopOptions.curvePercents.size());
    JsonNode half = results.get(2);
    assertThat(half.path("mode").asText()).isEqualTo("open");
    assertThat(half.path("scenario").asText()).isEqualTo("hot-account");
    assertThat(half.path("engine").asText()).isEqualTo("actors");
    assertThat(half.path("offeredRate").asLong()).isEqualTo(10_000);
    assertThat(half.path("achievedRate").asDouble()).isCloseTo(10_000, within(0.1));
    assertThat(half.path("percentOfPeak").asInt()).isEqualTo(50);
    assertThat(half.path("unsent").asLong()).isZero();
    assertThat(half.path("latencyMs").has("p999")).isTrue();
    parse(Files.readString(dir.resolve("curve.svg")));
    String md = Files.readString(dir.resolve("report.md"));
    assertThat(md)
        .contains("## Open-loop latency")
        .contains("(curve.svg)")
        .contains("| actors | 50% of 20,000 | 10,000 |");
  }

  @Test
  void theGoalsAreJudgedAtHalfAndNinetyPercentOfTheActorsPeak() {
    // p99 grows with the offered share: 2 ms × percent / 25, so 4 ms at 50% and 7.2 ms at 90%.
    Report met = report(curve("hot-account", "actors", 20_000, 2));
    // 15 ms at 50%, 27 ms at 90%.
    Report missed = report(curve("hot-account", "actors", 20_000, 7.5));

    assertThat(verdict(met, "hot-account: actors open-loop p99 ≤ 10 ms at 50%").met()).isTrue();
    assertThat(verdict(met, "hot-account: actors open-loop p99 ≤ 50 ms at 90%").met()).isTrue();
    Targets.Verdict half = verdict(missed, "hot-account: actors open-loop p99 ≤ 10 ms at 50%");
    assertThat(half.met()).isFalse();
    assertThat(half.shortBy()).isCloseTo(1.5, within(0.01));
    assertThat(verdict(missed, "hot-account: actors open-loop p99 ≤ 50 ms at 90%").met()).isTrue();
  }

  @Test
  void aPointWhoseRequestsWereNotAllSentDoesNotMeetItsGoal() {
    List<OpenLoopResult> open = new ArrayList<>(curve("hot-account", "actors", 20_000, 2));
    OpenLoopResult half = open.get(2);
    open.set(
        2,
        new OpenLoopResult(
            half.run(),
            half.offeredRate(),
            9_000,
            50,
            half.peakRate(),
            256,
            290_000,
            4_000,
            10_000,
            12));

    Targets.Verdict v = verdict(report(open), "hot-account: actors open-loop p99 ≤ 10 ms at 50%");

    assertThat(v.met()).isFalse();
    assertThat(v.evidence()).contains("10000 unsent");
  }

  @Test
  void aRunWithoutOpenLoopLoadHasNoOpenLoopTargets() {
    Report closed = report(List.of());

    assertThat(closed.targets).noneMatch(v -> v.target().contains("open-loop"));
    assertThat(closed.targets).hasSize(Targets.of(closed).size());
  }

  private static Targets.Verdict verdict(Report report, String prefix) {
    return report.targets.stream()
        .filter(v -> v.target().startsWith(prefix))
        .findFirst()
        .orElseThrow();
  }

  private static Report report(List<OpenLoopResult> open) {
    BenchOptions options =
        BenchOptions.of(
            false,
            List.of("hot-account", "uniform", "balance-read"),
            List.of(EngineKind.values()),
            256,
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            Path.of("unused"),
            false,
            "test",
            1,
            List.of());
    return new Report(
        options, Instant.EPOCH, "abc", machine, List.of(), List.of(), Probes.Results.none(), open);
  }

  /** The seven points of a clean curve; p99 is {@code p99AtQuarter} × percent / 25. */
  private static List<OpenLoopResult> curve(
      String scenario, String engine, double peak, double p99AtQuarter) {
    List<OpenLoopResult> points = new ArrayList<>();
    for (int percent : OpenLoopOptions.curvePercents) {
      long rate = OpenLoopOptions.rateAt(peak, percent);
      points.add(result(scenario, engine, rate, percent, peak, p99AtQuarter * percent / 25, 0));
    }
    return points;
  }

  private static OpenLoopResult result(
      String scenario,
      String engine,
      long rate,
      Integer percent,
      Double peak,
      double p99,
      long unsent) {
    RunResult run =
        new RunResult(
            scenario,
            engine,
            1,
            256,
            10,
            rate * 10,
            rate * 10,
            0,
            0,
            0,
            new RunResult.Percentiles(p99 / 3, p99 / 1.5, p99, p99 * 1.5, p99 * 2),
            true,
            new RunResult.Cpu(-1, -1, -1),
            new ClientChecks.Verdict(true, List.of(), 1, 0, 0),
            List.of(),
            null,
            null,
            1);
    return new OpenLoopResult(run, rate, rate, percent, peak, 256, rate * 10, 0, unsent, 0.5);
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<Element> seriesOf(Document svg) {
    NodeList groups = svg.getElementsByTagName("g");
    List<Element> series = new ArrayList<>();
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if ("series".equals(g.getAttribute("class"))) {
        series.add(g);
      }
    }
    return series;
  }
}
