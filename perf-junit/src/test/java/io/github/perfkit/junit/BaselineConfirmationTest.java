package io.github.perfkit.junit;

import static io.github.perfkit.junit.PerfAssertions.assertThatSection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.Baseline;
import io.github.perfkit.core.Baseline.Measurement;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline check by a re-measurement next to a calibration loop. */
class BaselineConfirmationTest {

  static volatile double sink;

  /** Steps of work, read each time (a constant would let the JIT fold it into some call sites). */
  static volatile int steps;

  /** CPU work unlike the calibration loop: square roots and a division per step. */
  static void work(int factor) {
    int n = steps * factor;
    double x = 1;
    for (int i = 1; i <= n; i++) {
      x += Math.sqrt(i) / (x + i);
    }
    sink = x;
  }

  @org.junit.jupiter.api.BeforeEach
  void size() {
    steps = 10_000;
  }

  private static Measurement scaled(Measurement m, double factor) {
    return new Measurement(m.name(), m.unit(), m.higherIsBetter(), m.score() * factor,
        m.scoreError(), m.samples().stream().map(v -> v * factor).toList(),
        m.blockMedians().stream().map(v -> v * factor).toList(), m.calibratedRatios());
  }

  /**
   * Records {@code work(1)} as the baseline entry "w", then rewrites it as if recorded on a machine
   * {@code slower} times as slow as a whole: raw times scaled, ratios to the loop unchanged.
   */
  private static void recordOnAMachineSlowerBy(Path file, double slower, double tolerance)
      throws Exception {
    assertThatSection("w", () -> work(1)).isNotSlowerThanBaseline(file, tolerance);
    Measurement m = Baseline.load(file).get("w").orElseThrow();
    Baseline.of(List.of(scaled(m, slower))).save(file);
  }

  @Test
  void recordingKeepsCalibratedRatios(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("b.json");
    assertThatSection("w", () -> work(2)).isNotSlowerThanBaseline(file, 0.10);
    Measurement m = Baseline.load(file).get("w").orElseThrow();
    assertThat(m.calibratedRatios()).hasSizeGreaterThanOrEqualTo(30).allSatisfy(r ->
        assertThat(r).isPositive());
    assertThat(m.blockMedians()).hasSize(Baseline.BLOCKS);
  }

  @Test
  void aMachineThatWasFasterWhenRecordingIsNotARegression(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("b.json");
    assertThatSection("w", () -> work(2)).isNotSlowerThanBaseline(file, 0.10);
    // as if the baseline had been recorded on a machine three times as fast as a whole: its times
    // are a third of today's, its ratios to the calibration loop the same
    Measurement m = Baseline.load(file).get("w").orElseThrow();
    Baseline.of(List.of(scaled(m, 1 / 3.0))).save(file);
    assertThatSection("w", () -> work(2)).isNotSlowerThanBaseline(file, 0.10);
  }

  @Test
  void aRealSlowdownIsConfirmedAndFails(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("b.json");
    assertThatSection("w", () -> work(1)).isNotSlowerThanBaseline(file, 0.10);
    assertThatThrownBy(() -> assertThatSection("w", () -> work(3))
        .isNotSlowerThanBaseline(file, 0.10)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("REGRESSED")
        .hasMessageContaining("relative to a fixed CPU loop measured interleaved in the same JVM")
        .hasMessageContaining("raw times: w: ");
  }

  @Test
  void aSlowdownThatOnlyTheRatioShowsCannotBeToldAndSaysSoInsteadOfFailing(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("b.json");
    // recorded on a machine five times as slow: today's 3x slower section looks faster in raw
    // time while its ratio to the loop is 3x; the two disagree, as they do when a co-runner slows
    // the section more than the loop, so the check says it cannot tell (the test is aborted)
    recordOnAMachineSlowerBy(file, 5, 0.10);
    assertThatThrownBy(() -> assertThatSection("w", () -> work(3))
        .isNotSlowerThanBaseline(file, 0.10))
        .isInstanceOf(org.opentest4j.TestAbortedException.class)
        .hasMessageContaining("cannot tell whether 'w' is more than 10% slower")
        .hasMessageContaining("but its raw time is -")
        .hasMessageContaining("re-record the baseline on this machine");
  }

  @Test
  void aSlowdownIsCaughtEvenWhenTheBaselineWasRecordedWhileTheMachineWasSlow(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("b.json");
    // recorded while the machine was 2.4 times as slow as a whole: today's 3x slower section is
    // about 25% slower in raw time, under the tolerance of 50%, and 3x in its ratio to the loop;
    // raw times under the tolerance, but not faster, decide nothing (they once turned a real 20%
    // slowdown into "cannot tell")
    recordOnAMachineSlowerBy(file, 2.4, 0.50);
    assertThatThrownBy(() -> assertThatSection("w", () -> work(3))
        .isNotSlowerThanBaseline(file, 0.50)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("more than 50% slower than the baseline")
        .hasMessageContaining("relative to a fixed CPU loop measured interleaved in the same JVM");
  }

  @Test
  void aBaselineWithoutCalibrationFallsBackToTheFirstCheckWithANote(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("b.json");
    SectionMeasurement fast = SectionMeasurement.measure("w", 5, 30, () -> work(1));
    Measurement m = fast.toMeasurement(); // no calibration, as a schema 1 entry
    Baseline.of(List.of(new Measurement(m.name(), m.unit(), false, m.score(), Double.NaN,
        m.samples()))).save(file);
    assertThatThrownBy(() -> assertThatSection("w", () -> work(4))
        .isNotSlowerThanBaseline(file, 0.10)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("run-to-run spread unknown")
        .hasMessageContaining("the baseline entry has none (recorded before perfkit.baseline/2)");
  }
}
