package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The twins of README's profiler and baseline/report snippets. */
class ReadmeProfileTest {

  private static void importAll() {
    ProfilerTest.eightyTwenty(300);
  }

  @Test
  void profileSnippetRuns(@TempDir Path dir) throws Exception {
    // --- README: Profile a section and diagnose it ---
    Profile p = Profiler.named("import").build().profile(() -> importAll());
    System.out.print(p.text());          // top methods (self, cumulative), threads, memory, diagnosis
    p.flameGraph().writeHtml(Path.of("target/import-flame.html"));     // interactive, opens offline
    Diagnosis why = p.diagnosis();       // CPU_BOUND, WAITING, GC_PRESSURE or LOCK_CONTENTION
    // --- end ---
    // the snippet runs and diagnoses; the verdicts are DiagnosisTest's and CpuStarvationTest's, so
    // here only what holds on any machine: both methods are in the profile (the diagnosis names
    // the hottest, and on a loaded machine the JIT has once made burnB the hotter)
    assertThat(why.bottleneck()).isNotNull();
    assertThat(p.text()).contains("burnA", "burnB");
    assertThat(Files.readString(Path.of("target/import-flame.html"))).contains("burnA");

    Comparison comparison = Compare.named("sum").baseline("loop", () -> RegressionCheckTest.sum(5_000))
        .add("half", () -> RegressionCheckTest.sum(2_500)).rounds(10).warmupRounds(2).build().run();
    Comparison comparisonOfThisBuild = comparison;
    Path.of("perf").toFile().deleteOnExit();
    // --- README: Baselines, regression checks and reports ---
    Baseline.of(comparison).save(Path.of("perf/baseline.json"));          // commit it
    RegressionReport r = RegressionCheck.against(Baseline.load(Path.of("perf/baseline.json")))
        .tolerance(0.10)                                                   // changes under 10% do not count
        .check(Baseline.of(comparisonOfThisBuild));                        // or Baseline.load(jmhResultJson)
    System.out.print(r.text());                                            // regressed / improved / unchanged

    PerfReport report = PerfReport.titled("Import: before and after")
        .add(p).add(comparison).add(r).build();
    Path page = report.writeHtml(Path.of("target/perf-report.html"));    // also text(), markdown(), json()
    // --- end ---
    Files.deleteIfExists(Path.of("perf/baseline.json"));
    Files.deleteIfExists(Path.of("perf"));
    assertThat(r.hasRegressions()).isFalse();
    assertThat(Files.readString(page)).contains("data-chart=\"flame\"")
        .contains("data-chart=\"percentiles\"");
  }
}
