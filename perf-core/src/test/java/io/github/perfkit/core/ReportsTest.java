package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportsTest {

  private static BreakdownSnapshot breakdown() {
    StageBreakdown breakdown = StageBreakdown.create("pipe|line");
    try (StageBreakdown.Stage s = breakdown.stage("slow")) {
      StageBreakdownTest.spinBusy(40_000_000L);
    }
    try (StageBreakdown.Stage s = breakdown.stage("fast")) {
      StageBreakdownTest.spinBusy(2_000_000L);
    }
    return breakdown.snapshot();
  }

  @Test
  void textBreakdownDrawsThe80PercentLineUnderTheDominantStage() {
    String text = Reports.text(breakdown());
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
    String md = Reports.markdown(breakdown());
    assertThat(md).contains("`pipe\\|line`").contains("| **slow** |").contains("| fast |");
  }

  @Test
  void breakdownJsonFollowsTheSchema() {
    BreakdownSnapshot snapshot = breakdown();
    String json = Reports.json(snapshot);
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
    assertThat(Reports.text(snapshots)).contains("1.50 ms").contains("2.00 µs")
        .contains("p99.9");
    assertThat(Reports.markdown(snapshots)).contains("| b | 1 | 1 |");
    assertThat(Reports.json(snapshots))
        .startsWith("{\"schema\":\"perfkit.latency/1\",\"recorders\":[{\"name\":\"a\\\"quoted\\\"\"")
        .contains("\"name\":\"b\",\"count\":1,\"failures\":1,\"totalNanos\":2000");
  }

  @Test
  void durationsAreFormattedWithUnits() {
    assertThat(Reports.duration(999)).isEqualTo("999 ns");
    assertThat(Reports.duration(12_345)).isEqualTo("12.3 µs");
    assertThat(Reports.duration(12_345_678)).isEqualTo("12.3 ms");
    assertThat(Reports.duration(2_500_000_000L)).isEqualTo("2.50 s");
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
