package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.perfkit.core.internal.JsonReader;
import io.github.perfkit.core.internal.LatencyTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every result renders itself the same three ways: text, Markdown, JSON. */
class RenderingTest {

  private static BreakdownSnapshot breakdown() {
    StageBreakdown breakdown = StageBreakdown.create("pipe|line");
    try (StageBreakdown.Stage s = breakdown.stage("slow")) {
      StageBreakdownTest.spinBusy(150_000_000L); // far past 80%, even when load stretches "fast"
    }
    try (StageBreakdown.Stage s = breakdown.stage("fast")) {
      StageBreakdownTest.spinBusy(2_000_000L);
    }
    return breakdown.snapshot();
  }

  @Test
  void textBreakdownDrawsThe80PercentLineUnderTheDominantStage() {
    String text = breakdown().text();
    List<String> lines = text.lines().toList();
    assertThat(lines.get(0)).contains("80% of it in slow");
    int slow = indexOf(lines, " slow ");
    int line = indexOf(lines, "80% line");
    int fast = indexOf(lines, " fast ");
    assertThat(slow).isLessThan(line);
    assertThat(line).isLessThan(fast);
    assertThat(lines.get(slow)).containsPattern("(computes|mixed|waits)$"); // CPU share varies under load
  }

  @Test
  void markdownEscapesPipesAndBoldsThe80PercentStages() {
    String md = breakdown().markdown();
    assertThat(md).contains("`pipe\\|line`").contains("| **slow** |").contains("| fast |");
  }

  @Test
  void breakdownJsonFollowsTheSchema() {
    BreakdownSnapshot snapshot = breakdown();
    String json = snapshot.json();
    assertThat(json).startsWith("{\"schema\":\"perfkit.breakdown/1\",\"name\":\"pipe|line\"")
        .contains("\"threshold\":0.8")
        .contains("\"name\":\"slow\",\"count\":1,\"wallNanos\":" + snapshot.stage("slow").wallNanos())
        .contains("\"inTop80\":true").contains("\"inTop80\":false")
        .endsWith("]}");
  }

  @Test
  void latencyReportsListEveryRecorder() {
    LatencyRecorder a = LatencyRecorder.create("a\"quoted\"");
    LatencyRecorder b = LatencyRecorder.create("b");
    a.record(1_500_000);
    b.recordFailure(2_000);
    List<LatencySnapshot> snapshots = List.of(a.snapshot(), b.snapshot());
    assertThat(LatencyTable.text(snapshots)).contains("1.50 ms").contains("2.00 µs")
        .contains("p99.9");
    assertThat(LatencyTable.markdown(snapshots)).contains("| b | 1 | 1 |");
    assertThat(LatencyTable.json(snapshots))
        .startsWith("{\"schema\":\"perfkit.latency/1\",\"recorders\":[{\"name\":\"a\\\"quoted\\\"\"")
        .contains("\"name\":\"b\",\"count\":1,\"failures\":1,\"totalNanos\":2000");
  }

  private static void rendersAllThreeWays(String what, String text, String markdown, String json) {
    assertThat(text).as(what + " text").isNotBlank();
    assertThat(markdown).as(what + " markdown starts with a heading or a table")
        .matches("(?s)^(#{1,3} |\\| ).*");
    Object parsed = JsonReader.parse(json);
    assertThat(parsed).as(what + " json is an object").isInstanceOf(Map.class);
    assertThat(((Map<?, ?>) parsed).get("schema")).as(what + " json schema").asString()
        .startsWith("perfkit.");
  }

  @Test
  void everyResultRendersItselfAsTextMarkdownAndJson() throws Exception {
    LatencyRecorder recorder = LatencyRecorder.create("r|1");
    recorder.record(1_000);
    LatencySnapshot latency = recorder.snapshot();
    rendersAllThreeWays("LatencySnapshot", latency.text(), latency.markdown(), latency.json());
    BreakdownSnapshot breakdown = breakdown();
    rendersAllThreeWays("BreakdownSnapshot", breakdown.text(), breakdown.markdown(),
        breakdown.json());
    Comparison comparison = Compare.named("c").baseline("a", () -> 1).add("b", () -> 2).rounds(5)
        .warmupRounds(0).warmupTime(java.time.Duration.ZERO).build().run();
    rendersAllThreeWays("Comparison", comparison.text(), comparison.markdown(), comparison.json());
    RegressionReport regression = RegressionCheck.against(Baseline.of(comparison))
        .check(Baseline.of(comparison));
    rendersAllThreeWays("RegressionReport", regression.text(), regression.markdown(),
        regression.json());
    Diagnosis diagnosis = new Diagnosis(Diagnosis.Bottleneck.WAITING,
        Optional.of(Diagnosis.Bottleneck.CPU_BOUND),
        new Diagnosis.Evidence(1_000_000, 1, 1_000_000, 400_000, 0, 0, 600_000, 0, 0, -1, 64, 0.4, 0,
            0, 0.6, 0, 160, 0, 0.4, 2),
        List.of("finding \"quoted\""), List.of(new Diagnosis.Strategy("overlap", "why", "Parallel")));
    rendersAllThreeWays("Diagnosis", diagnosis.text(), diagnosis.markdown(), diagnosis.json());
    assertThat(((Map<?, ?>) JsonReader.parse(diagnosis.json())).get("runnerUp"))
        .isEqualTo("CPU_BOUND");
    MemoryProfile memory = new MemoryProfile(2048, true,
        List.of(new MemoryProfile.AllocationSite("byte[] @ a.B.c", 1024, 1.0)), 1024, 10, 20, 15, 1,
        500);
    rendersAllThreeWays("MemoryProfile", memory.text(), memory.markdown(), memory.json());
    PerfReport report = PerfReport.titled("all").add(breakdown).add(comparison).add(regression)
        .add("latency", List.of(latency)).note("n", "text").build();
    rendersAllThreeWays("PerfReport", report.text(), report.markdown(), report.json());
    assumeTrue(Profiler.isAvailable(), "JFR is not available in this JVM");
    Profile profile = Profiler.named("p").build()
        .profile(() -> StageBreakdownTest.spinBusy(1_000_000));
    rendersAllThreeWays("Profile", profile.text(), profile.markdown(), profile.json());
    Map<?, ?> profileJson = (Map<?, ?>) JsonReader.parse(profile.json());
    assertThat(((Map<?, ?>) profileJson.get("diagnosis")).get("schema"))
        .isEqualTo("perfkit.diagnosis/1");
    assertThat(((Map<?, ?>) profileJson.get("memory")).get("schema")).isEqualTo("perfkit.memory/1");
  }

  private static int indexOf(List<String> lines, String needle) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(needle)) {
        return i;
      }
    }
    throw new AssertionError("no line contains '" + needle + "' in\n" + String.join("\n", lines));
  }
}
