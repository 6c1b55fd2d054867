package io.github.perfkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.github.perfkit.core.Baseline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;
import org.junit.platform.testkit.engine.Events;

/**
 * {@code @PerfBudget(jvms = 3)}: a recording spans fresh JVMs, and a check that reads slower in this
 * JVM is measured again in fresh JVMs, which decide with it. Real child JVMs, started by the
 * extension from {@link Fixtures} run through the engine. The work factor is read from a file, so
 * the child JVMs do the same work as this one; {@link Fixtures#onlyHere} is a static field, so
 * extra work set there happens in this JVM only, as code the JIT compiled slower in one JVM does.
 */
class FreshJvmConfirmationTest {

  static final Path DIR = Path.of("target", "fresh-jvm-confirmation-test");
  static final String BASELINE = "target/fresh-jvm-confirmation-test/baseline.json";

  @BeforeEach
  void clean() throws Exception {
    Files.createDirectories(DIR);
    Files.deleteIfExists(Path.of(BASELINE));
    factor(1.0);
    Fixtures.onlyHere = 1.0;
  }

  private static void factor(double f) throws Exception {
    Files.writeString(DIR.resolve("factor.txt"), Double.toString(f));
  }

  private static Events run(String method) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectMethod(Fixtures.class, method, PerfProbe.class.getName()))
        .execute().allEvents();
  }

  private static TestExecutionResult result(Events events) {
    List<TestExecutionResult> results = events.filter(e -> e.getType() == EventType.FINISHED
        && e.getTestDescriptor().isTest()).map(e -> e.getRequiredPayload(
            TestExecutionResult.class)).toList();
    assertThat(results).hasSize(1);
    return results.get(0);
  }

  private static String message(TestExecutionResult r) {
    return r.getStatus() + r.getThrowable().map(t -> ": " + t.getMessage()).orElse("");
  }

  private static List<String> notes(Events events) {
    return events.filter(e -> e.getType() == EventType.REPORTING_ENTRY_PUBLISHED)
        .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("perfkit"))
        .filter(v -> v != null).toList();
  }

  @Test
  void aRecordingKeepsTheLevelOfEachOfThreeJvms() throws Exception {
    assertThat(result(run("check")).getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    Baseline.Measurement m = Baseline.load(Path.of(BASELINE)).get("fresh").orElseThrow();
    assertThat(m.jvmRatios()).hasSize(3).allSatisfy(r -> assertThat(r).isPositive());
    // the same work in each JVM: levels within a factor of 1.5 of each other (JIT and machine
    // noise, not the 3x of a different workload)
    double min = m.jvmRatios().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = m.jvmRatios().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    assertThat(max / min).isLessThan(1.5);
  }

  @Test
  void codeSlowerInThisJvmOnlyIsNotARegressionOnceFreshJvmsMeasureIt() throws Exception {
    assertThat(result(run("check")).getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    Fixtures.onlyHere = 1.6; // this JVM only: 60% more work here, none in the fresh JVMs
    Events confirmed = run("check");
    assertThat(message(result(confirmed))).isEqualTo("SUCCESSFUL");
    assertThat(notes(confirmed)).singleElement().asString()
        .contains("'fresh' is not more than 10% slower than the baseline")
        .containsPattern("in this JVM \\+[0-9.]+%, in 2 fresh JVMs [-+][0-9.]+%, [-+][0-9.]+%, the"
            + " median of the 3 decides");
    // the same check in this JVM alone fails: the fresh JVMs are what tells the two apart
    assertThat(message(result(run("checkInThisJvmOnly")))).startsWith("FAILED")
        .contains("more than 10% slower than the baseline").doesNotContain("fresh JVM");
  }

  @Test
  void aRealSlowdownFailsWithTheFigureOfEachJvm() throws Exception {
    assertThat(result(run("check")).getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    factor(1.6); // every JVM does 60% more work
    assertThat(message(result(run("check")))).startsWith("FAILED")
        .contains("Performance budget of fresh exceeded")
        .contains("against the median of the 3 JVMs that recorded it")
        .containsPattern("in this JVM \\+[0-9.]+%, in 2 fresh JVMs \\+[0-9.]+%, \\+[0-9.]+%, the"
            + " median of the 3 decides: \\+[0-9.]+%");
  }

  @Test
  void aTestThatCannotBeRerunSaysSo() {
    assertThat(FreshJvms.forTest(Fixtures.class, repeated())).isInstanceOf(String.class)
        .asString().contains("parameterized or repeated");
  }

  private static java.lang.reflect.Method repeated() {
    try {
      return Fixtures.class.getDeclaredMethod("repeated");
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  /** Not run by Surefire directly (nested classes are excluded); run above by the engine kit. */
  static class Fixtures {

    static volatile double onlyHere = 1.0;
    static volatile double sink;

    static void work(double factor) {
      int n = (int) (20_000 * factor);
      double x = 1;
      for (int i = 1; i <= n; i++) {
        x += Math.sqrt(i) / (x + i);
      }
      sink = x;
    }

    private static double factor() throws Exception {
      return Double.parseDouble(Files.readString(DIR.resolve("factor.txt")).strip()) * onlyHere;
    }

    @Test
    @PerfBudget(name = "fresh", maxSlowdown = 0.10, baseline = BASELINE, runs = 10, warmup = 5,
        warmupLimit = "1s")
    void check(PerfProbe probe) throws Exception {
      double f = factor();
      probe.measure(() -> work(f));
    }

    @Test
    @PerfBudget(name = "fresh", maxSlowdown = 0.10, baseline = BASELINE, runs = 10, warmup = 5,
        warmupLimit = "1s", jvms = 1)
    void checkInThisJvmOnly(PerfProbe probe) throws Exception {
      double f = factor();
      probe.measure(() -> work(f));
    }

    @org.junit.jupiter.api.RepeatedTest(2)
    void repeated() {
      // only its annotation matters
    }
  }
}
