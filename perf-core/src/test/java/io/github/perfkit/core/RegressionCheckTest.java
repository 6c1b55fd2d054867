package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.Baseline.Measurement;
import io.github.perfkit.core.RegressionReport.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Baselines, JMH result files and verdicts with known answers. */
class RegressionCheckTest {

  /** {@code n} draws of a normal distribution with a 5% standard deviation around {@code mean}. */
  static double[] noisy(double mean, int n, long seed) {
    Random r = new Random(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = Math.max(0, mean + r.nextGaussian() * 5);
    }
    return out;
  }

  static Baseline one(String name, double[] samples, boolean higherIsBetter) {
    return Baseline.of(List.of(Measurement.ofSamples(name, "ns/call", higherIsBetter, samples)));
  }

  @Test
  void thirtyPercentSlowerIsRegressedAndIdenticalIsUnchanged() {
    int regressed = 0;
    int unchanged = 0;
    for (int trial = 0; trial < 20; trial++) {
      RegressionCheck check = RegressionCheck.against(one("op", noisy(100, 30, trial), false));
      if (check.check(one("op", noisy(130, 30, 1_000 + trial), false)).hasRegressions()) {
        regressed++;
      }
      if (check.check(one("op", noisy(100, 30, 2_000 + trial), false)).entry("op").verdict()
          == Verdict.UNCHANGED) {
        unchanged++;
      }
    }
    assertThat(regressed).isGreaterThanOrEqualTo(19);
    assertThat(unchanged).isGreaterThanOrEqualTo(19);
  }

  @Test
  void significantButSmallerThanTheToleranceIsUnchanged() {
    RegressionCheck check = RegressionCheck.against(one("op", noisy(100, 400, 1), false));
    RegressionReport.Entry two = check.check(one("op", noisy(103, 400, 2), false)).entry("op");
    assertThat(two.pValue()).isLessThan(0.01); // real, but 3% < 5%
    assertThat(two.verdict()).isEqualTo(Verdict.UNCHANGED);
    // 3% is beyond a tolerance of 1% and this run-to-run spread (blocks of 80 samples: ~2%)
    RegressionReport.Entry ten = check.tolerance(0.01).check(one("op", noisy(103, 400, 2), false))
        .entry("op");
    assertThat(ten.spread()).isBetween(0.005, 0.03);
    assertThat(ten.verdict()).isEqualTo(Verdict.REGRESSED);
    assertThat(ten.explanation()).startsWith("op: REGRESSED, +").contains("[95%: +")
        .contains("p=");
  }

  @Test
  void fasterIsImprovedAndThroughputReadsTheOtherWay() {
    RegressionCheck times = RegressionCheck.against(one("op", noisy(100, 30, 1), false));
    assertThat(times.check(one("op", noisy(70, 30, 2), false)).entry("op").verdict())
        .isEqualTo(Verdict.IMPROVED);
    RegressionCheck throughput = RegressionCheck.against(one("ops", noisy(100, 30, 1), true));
    assertThat(throughput.check(one("ops", noisy(70, 30, 2), true)).entry("ops").verdict())
        .isEqualTo(Verdict.REGRESSED);
    assertThat(throughput.check(one("ops", noisy(130, 30, 2), true)).entry("ops").verdict())
        .isEqualTo(Verdict.IMPROVED);
  }

  @Test
  void newAndMissingMeasurementsAreListed() {
    RegressionReport r = RegressionCheck.against(one("old", noisy(100, 10, 1), false))
        .check(one("new", noisy(100, 10, 2), false));
    assertThat(r.entry("new").verdict()).isEqualTo(Verdict.NEW);
    assertThat(r.entry("old").verdict()).isEqualTo(Verdict.MISSING);
    assertThat(r.hasRegressions()).isFalse();
    assertThat(r.text()).contains("0 regressed").contains("1 new").contains("1 missing");
  }

  @Test
  void baselineSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
    Comparison c = Compare.named("sum").baseline("loop", () -> sum(2_000))
        .add("stream", () -> java.util.stream.LongStream.range(0, 2_000).sum()).rounds(10)
        .warmupRounds(2).build().run();
    Baseline saved = Baseline.of(c);
    Path file = saved.save(dir.resolve("perf/baseline.json"));
    Baseline loaded = Baseline.load(file);
    assertThat(loaded.measurements()).containsExactlyElementsOf(saved.measurements());
    assertThat(loaded.get("sum/loop").orElseThrow().samples()).hasSize(10);
    assertThat(loaded.jvm()).isEqualTo(Runtime.version().toString());
    assertThat(RegressionCheck.against(loaded).check(saved).entries())
        .allMatch(e -> e.verdict() == Verdict.UNCHANGED);
  }

  static long sum(int n) {
    long s = 0;
    for (int i = 0; i < n; i++) {
      s += i;
    }
    return s;
  }

  @Test
  void jmhResultFilesAreReadAndChecked() throws Exception {
    Path file = Path.of(getClass().getResource("/jmh-result.json").toURI());
    Baseline jmh = Baseline.load(file);
    assertThat(jmh.measurements()).isNotEmpty();
    Measurement first = jmh.measurements().iterator().next();
    assertThat(first.name()).startsWith("io.github.perfkit.bench.");
    assertThat(first.unit()).isNotBlank();
    assertThat(first.samples()).hasSizeGreaterThanOrEqualTo(4);
    assertThat(RegressionCheck.against(jmh).check(jmh).hasRegressions()).isFalse();
    // the same file with every time 50% longer: a regression for each benchmark (this file has 4
    // iterations per benchmark, so JMH's own error intervals decide)
    String slower = scaleScores(scaleRawData(Files.readString(file), 1.5), 1.5);
    RegressionReport r = RegressionCheck.against(jmh).check(Baseline.parse(slower));
    assertThat(r.regressions()).hasSize(jmh.measurements().size());
  }

  /** Multiplies the values of "score" and "scoreError" fields. */
  static String scaleScores(String json, double factor) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(\"score(?:Error)?\"\\s*:\\s*)([0-9.eE+-]+)").matcher(json);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, m.group(1) + Double.parseDouble(m.group(2)) * factor);
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Multiplies the numbers inside every "rawData" array. */
  static String scaleRawData(String json, double factor) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int start = json.indexOf("\"rawData\"", at);
      if (start < 0) {
        out.append(json.substring(at));
        return out.toString();
      }
      int open = json.indexOf('[', start);
      int depth = 0;
      int end = open;
      do {
        char c = json.charAt(end);
        depth += c == '[' ? 1 : c == ']' ? -1 : 0;
        end++;
      } while (depth > 0);
      out.append(json, at, open);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("[0-9.eE+-]+")
          .matcher(json.substring(open, end));
      StringBuilder scaled = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(scaled, Double.toString(Double.parseDouble(m.group()) * factor));
      }
      m.appendTail(scaled);
      out.append(scaled);
      at = end;
    }
  }

  @Test
  void badFilesAndMismatchesSayWhatIsWrong(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"schema\": ");
    assertThatThrownBy(() -> Baseline.load(broken)).hasMessageContaining("broken.json")
        .hasMessageContaining("not valid JSON at offset");
    assertThatThrownBy(() -> Baseline.parse("{\"a\":1}"))
        .hasMessageContaining("neither a perfkit baseline");
    Baseline ns = one("op", noisy(100, 10, 1), false);
    Baseline ops = Baseline.of(List.of(Measurement.ofSamples("op", "ops/s", true, 1, 2, 3)));
    assertThatThrownBy(() -> RegressionCheck.against(ns).check(ops))
        .hasMessageContaining("'op' is in ops/s now but in ns/call in the baseline");
    assertThatThrownBy(() -> RegressionCheck.against(ns).tolerance(-1))
        .hasMessageContaining("tolerance must be in [0, 10)");
    assertThatThrownBy(() -> Measurement.ofSamples("x", "ns", false))
        .hasMessageContaining("samples must not be empty");
  }

  /** Blocks of a run whose level wanders by ~10% between stretches, as under a varying load. */
  static double[] wandering(double mean, long seed) {
    Random r = new Random(seed);
    double[] out = new double[30];
    double level = mean;
    for (int i = 0; i < out.length; i++) {
      if (i % 6 == 0) {
        level = mean * (1 + 0.10 * r.nextGaussian());
      }
      out[i] = level * (1 + 0.01 * r.nextGaussian());
    }
    return out;
  }

  @Test
  void aChangeWithinTheRunToRunSpreadIsNotARegressionEvenWhenSignificant() {
    double[] before = wandering(100, 1);
    double[] after = new double[30];
    double[] shifted = wandering(100, 2);
    for (int i = 0; i < 30; i++) {
      after[i] = shifted[i] * 1.15; // 15% worse, but blocks wander by ~10% (spread ~ 40%)
    }
    RegressionReport.Entry e = RegressionCheck.against(one("op", before, false)).tolerance(0.10)
        .check(one("op", after, false)).entry("op");
    assertThat(e.spread()).isGreaterThan(0.15);
    assertThat(e.verdict()).isEqualTo(Verdict.UNCHANGED);
    assertThat(e.method()).contains("run-to-run spread of");
    // the same samples without block medians (a schema 1 file): the old rule, with a note
    Measurement oldBefore = new Measurement("op", "ns/call", false, 100, Double.NaN,
        java.util.Arrays.stream(before).boxed().toList());
    RegressionReport.Entry old = RegressionCheck.against(Baseline.of(List.of(oldBefore)))
        .tolerance(0.10).compare(oldBefore, one("op", after, false).get("op").orElseThrow());
    assertThat(old.spread()).isNaN();
    assertThat(old.method()).contains("run-to-run spread unknown");
  }

  @Test
  void schemaOneFilesStillLoadAndSchemaTwoRoundTrips(@TempDir Path dir) throws Exception {
    Path v1 = dir.resolve("v1.json");
    Files.writeString(v1, "{\"schema\":\"perfkit.baseline/1\",\"created\":\"2026-01-01T00:00:00Z\","
        + "\"jvm\":\"17\",\"measurements\":[{\"name\":\"op\",\"unit\":\"ns/run\","
        + "\"higherIsBetter\":false,\"score\":2.0,\"scoreError\":null,\"samples\":[1,2,3]}]}");
    Measurement m = Baseline.load(v1).get("op").orElseThrow();
    assertThat(m.blockMedians()).isEmpty();
    assertThat(m.calibratedRatios()).isEmpty();

    Measurement withAll = Measurement.ofSamples("op", "ns/run", false, noisy(100, 30, 3))
        .withCalibratedRatios(1.5, 1.6, 1.4);
    assertThat(withAll.blockMedians()).hasSize(Baseline.BLOCKS);
    Path v2 = Baseline.of(List.of(withAll)).save(dir.resolve("v2.json"));
    assertThat(Files.readString(v2)).contains("perfkit.baseline/2");
    Measurement back = Baseline.load(v2).get("op").orElseThrow();
    assertThat(back.blockMedians()).isEqualTo(withAll.blockMedians());
    assertThat(back.calibratedRatios()).containsExactly(1.5, 1.6, 1.4);
    assertThatThrownBy(() -> withAll.withCalibratedRatios(0)).hasMessageContaining("ratios");
  }
}
