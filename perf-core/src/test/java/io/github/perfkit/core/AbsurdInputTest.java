package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.github.perfkit.core.internal.JsonReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Absurd arguments get a clear error naming the parameter, or a consistent result (issue 12). */
class AbsurdInputTest {

  @Test
  void absurdRoundCountsAreRejectedBeforeAnythingIsAllocated() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Compare.named("c").rounds(Integer.MAX_VALUE))
        .withMessage("rounds must be in [5, 1000000] but was 2147483647");
    assertThatIllegalArgumentException().isThrownBy(() -> Compare.named("c").rounds(4))
        .withMessageContaining("rounds");
    Compare.named("c").rounds(Compare.Builder.MAX_ROUNDS); // the bound itself is fine
  }

  @Test
  void deeplyNestedJsonIsAClearErrorNotAStackOverflow(@TempDir Path dir) throws Exception {
    String deep = "[".repeat(200_000) + "]".repeat(200_000);
    Path file = dir.resolve("deep.json");
    Files.writeString(file, deep);
    assertThatIllegalArgumentException().isThrownBy(() -> Baseline.load(file))
        .withMessageContaining("nested deeper than " + JsonReader.MAX_DEPTH);
    assertThatIllegalArgumentException().isThrownBy(() -> Baseline.parse("{\"a\":" .repeat(5_000)))
        .withMessageContaining("nested deeper");
    // Deep but within the bound parses (query plans nest two levels per node).
    String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
    assertThat(JsonReader.parse(ok)).isInstanceOf(List.class);
  }

  @Test
  void aNullComparisonOrMeasurementIsNamed() {
    assertThatNullPointerException().isThrownBy(() -> Baseline.of((Comparison) null))
        .withMessage("comparisons[0]");
    assertThatNullPointerException().isThrownBy(() -> Baseline.of((Comparison[]) null))
        .withMessage("comparisons");
    assertThatNullPointerException()
        .isThrownBy(() -> Baseline.of(Arrays.asList(
            Baseline.Measurement.ofSamples("a", "ns", false, 1, 2, 3), null)))
        .withMessage("measurements[1]");
  }

  @Test
  void nonFiniteSamplesAreRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Baseline.Measurement.ofSamples("a", "ns", false, 1, Double.POSITIVE_INFINITY))
        .withMessageContaining("samples must be finite");
  }

  @Test
  void aDurationBeyondTheTrackableRangeKeepsTheMeanWithinTheMaximum() {
    LatencyRecorder r = LatencyRecorder.create("huge");
    r.record(Long.MAX_VALUE);
    LatencySnapshot s = r.snapshot();
    assertThat(s.count()).isEqualTo(1);
    assertThat(s.mean()).isLessThanOrEqualTo(s.max());
    assertThat(s.max().toHours()).isEqualTo(9); // 2^45 - 1 ns, about 9.8 hours
    r.record(1_000);
    LatencySnapshot two = r.snapshot();
    assertThat(two.mean()).isLessThanOrEqualTo(two.max());
  }

  @Test
  void aZeroBaselineIsInconclusiveNotAnInfiniteChange() {
    Baseline.Measurement zero = Baseline.Measurement.ofSamples("op", "ns/call", false, 0, 0, 0, 0, 0);
    Baseline.Measurement now = Baseline.Measurement.ofSamples("op", "ns/call", false, 5, 6, 5, 6, 5);
    RegressionReport.Entry e = RegressionCheck.against(Baseline.of(List.of(zero))).compare(zero, now);
    assertThat(e.verdict()).isEqualTo(RegressionReport.Verdict.INCONCLUSIVE);
    assertThat(e.explanation()).doesNotContain("Infinity").doesNotContain("NaN")
        .contains("a score of 0 ns/call in the baseline");
    RegressionReport report = RegressionCheck.against(Baseline.of(List.of(zero)))
        .check(Baseline.of(List.of(now)));
    assertThat(report.hasRegressions()).isFalse();
    assertThat(report.text()).contains("1 inconclusive").doesNotContain("Infinity");
    // Zero now, against a real baseline, is inconclusive too (not "infinitely better").
    assertThat(RegressionCheck.against(Baseline.of(List.of(now))).compare(now, zero).verdict())
        .isEqualTo(RegressionReport.Verdict.INCONCLUSIVE);
  }
}
