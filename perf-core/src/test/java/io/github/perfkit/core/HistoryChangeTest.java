package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.Baseline.Measurement;
import io.github.perfkit.core.cli.RegressionCheckCliAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figure of issue 16 item 4: a 15% step in 30 runs with 5% noise is located within 2 runs in at
 * least 19 of 20 synthetic histories, and a flat history gives no change in at least 19 of 20.
 */
class HistoryChangeTest {

  static final int TRIALS = 20;
  static final int RUNS = 30;

  /** 30 runs of one measurement, 5% Gaussian noise, a step of {@code step} at run {@code at}. */
  static RunHistory synthetic(long seed, int at, double step) {
    Random r = new Random(seed);
    List<RunHistory.Run> runs = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      double level = i < at ? 1000 : 1000 * (1 + step);
      double score = level * (1 + 0.05 * r.nextGaussian());
      runs.add(new RunHistory.Run("c" + i, Baseline.of(List.of(
          Measurement.ofSamples("op", "ns/call", false, score)))));
    }
    return RunHistory.of(runs);
  }

  /** Where the step is in trial {@code t}: spread over runs 6..24. */
  static int stepAt(int t) {
    return 6 + (t * 7) % 19;
  }

  @Test
  void aFifteenPercentStepIsLocatedWithinTwoRunsInAtLeast19Of20Histories() {
    int located = 0;
    List<String> misses = new ArrayList<>();
    for (int t = 0; t < TRIALS; t++) {
      int at = stepAt(t);
      HistoryReport report = RegressionCheck.against(synthetic(1000 + t, at, 0.15)).changes();
      List<HistoryReport.Change> changes = report.measurement("op").changes();
      boolean hit = changes.stream().anyMatch(c -> Math.abs(c.index() - at) <= 2 && c.regressed());
      if (hit && changes.size() == 1) {
        located++;
      } else {
        misses.add("trial " + t + " step at " + at + ": " + changes);
      }
    }
    System.out.println("15% step located within 2 runs: " + located + " of " + TRIALS + " " + misses);
    assertThat(located).as("histories where the step was located, misses: %s", misses)
        .isGreaterThanOrEqualTo(19);
  }

  @Test
  void aFlatHistoryGivesNoChangeInAtLeast19Of20() {
    int quiet = 0;
    for (int t = 0; t < TRIALS; t++) {
      HistoryReport report = RegressionCheck.against(synthetic(5000 + t, RUNS, 0)).changes();
      if (report.measurement("op").changes().isEmpty()) {
        quiet++;
      }
    }
    System.out.println("flat histories with no change: " + quiet + " of " + TRIALS);
    assertThat(quiet).isGreaterThanOrEqualTo(19);
  }

  @Test
  void quickStart(@TempDir Path dir) throws Exception {
    Path runs = dir.resolve("perf/runs.jsonl");
    for (RunHistory.Run run : synthetic(11, 20, 0.15).runs()) {
      Baseline thisRun = run.baseline();
      String commit = run.id();
      // README: history of runs
      RunHistory.append(runs, commit, thisRun);                 // in CI, after each run
      // end
    }
    // README: history of runs (check)
    HistoryReport report = RegressionCheck.against(RunHistory.load(runs)).changes();
    System.out.print(report.text());  // op: REGRESSED at run c21 (#21): 1004 -> 1149 ns/call, +14.5%
    // end
    HistoryReport.Change step = report.measurement("op").changes().get(0);
    assertThat(step.index()).isBetween(18, 22);
    assertThat(report.text()).contains("op: REGRESSED at run " + step.run());
  }

  @Test
  void theReportNamesTheRunAndTheStepAndIsDeterministic() {
    RunHistory history = synthetic(7, 17, 0.15);
    HistoryReport a = RegressionCheck.against(history).changes();
    HistoryReport b = RegressionCheck.against(history).changes();
    assertThat(a).isEqualTo(b);
    HistoryReport.Change c = a.measurement("op").changes().get(0);
    assertThat(c.run()).isEqualTo("c" + c.index());
    assertThat(c.step()).isBetween(0.08, 0.22);
    assertThat(a.hasRegressions()).isTrue();
    assertThat(a.text()).contains("op: REGRESSED at run " + c.run());
    assertThat(a.markdown()).contains("| op | " + c.run() + " |");
  }

  @Test
  void aStepBelowTheToleranceIsNotReportedAndThroughputDropsAreRegressions() {
    RunHistory history = synthetic(7, 17, 0.15);
    assertThat(RegressionCheck.against(history).tolerance(0.5).changes().measurement("op")
        .changes()).isEmpty();
    List<RunHistory.Run> runs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      runs.add(new RunHistory.Run("r" + i, Baseline.of(List.of(Measurement.ofSamples("tput",
          "ops/s", true, i < 10 ? 1000 + i % 3 : 500 + i % 3)))));
    }
    HistoryReport.Change drop = RegressionCheck.against(RunHistory.of(runs)).changes()
        .measurement("tput").changes().get(0);
    assertThat(drop.index()).isEqualTo(10);
    assertThat(drop.regressed()).isTrue();
    assertThat(drop.step()).isLessThan(-0.4);
  }

  @Test
  void historyLinesRoundTripThroughAFileAndTheCommandLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("perf/runs.jsonl");
    for (RunHistory.Run run : synthetic(7, 17, 0.15).runs()) {
      RunHistory.append(file, run.id(), run.baseline());
    }
    RunHistory loaded = RunHistory.load(file);
    assertThat(loaded.runs()).hasSize(RUNS);
    assertThat(loaded.runs().get(3).baseline().get("op").orElseThrow().score())
        .isEqualTo(synthetic(7, 17, 0.15).runs().get(3).baseline().get("op").orElseThrow().score());
    assertThat(Files.readAllLines(file).get(0)).startsWith("{\"schema\":\"perfkit.run/1\",\"run\":\"c0\"");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = RegressionCheckCliAccess.run(new String[] {"--history", file.toString()},
        new PrintStream(out, true), new PrintStream(err, true));
    assertThat(status).isEqualTo(1);
    assertThat(out.toString()).contains("REGRESSED at run c");

    Path flat = dir.resolve("flat.jsonl");
    for (RunHistory.Run run : synthetic(5000, RUNS, 0).runs()) {
      RunHistory.append(flat, run.id(), run.baseline());
    }
    assertThat(RegressionCheckCliAccess.run(new String[] {"--history", flat.toString()},
        new PrintStream(out, true), new PrintStream(err, true))).isZero();
    assertThat(RegressionCheckCliAccess.run(new String[] {"--history", flat.toString(), "x.json"},
        new PrintStream(out, true), new PrintStream(err, true))).isEqualTo(2);
  }

  @Test
  void badLinesAndArgumentsAreNamed() {
    assertThatThrownBy(() -> RunHistory.parse("{\"run\":\"a\",\"measurements\":[]}\n[1]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
    assertThatThrownBy(() -> RunHistory.parse("{\"measurements\":[]}"))
        .hasMessageContaining("\"run\"");
    assertThatThrownBy(() -> RegressionCheck.against(RunHistory.of(List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("history");
    assertThatThrownBy(() -> RegressionCheck.against(Baseline.of(List.of())).changes())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("against(RunHistory)");
    assertThatThrownBy(() -> RunHistory.line(" ", Baseline.of(List.of())))
        .hasMessageContaining("run");
  }
}
