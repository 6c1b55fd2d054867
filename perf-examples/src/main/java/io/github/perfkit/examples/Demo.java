package io.github.perfkit.examples;

import io.github.perfkit.core.Compare;
import io.github.perfkit.core.Comparison;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The walkthrough's shared context: the simulated site, the workload (which races, which runners),
 * where to print, and how a pipeline is measured. Not thread-safe: the walkthrough runs steps one
 * after another.
 */
public final class Demo {

  private final PrintStream out;
  private final RaceSite site;
  private final List<Integer> raceIds;
  private final List<Integer> runnerBibs;
  private final List<Run> runs = new ArrayList<>();
  private Run baseline;

  Demo(PrintStream out, RaceSite site, List<Integer> raceIds, List<Integer> runnerBibs) {
    this.out = out;
    this.site = site;
    this.raceIds = List.copyOf(raceIds);
    this.runnerBibs = List.copyOf(runnerBibs);
  }

  /**
   * The standard workload: 40 races of 200 finishers, 100 runner look-ups.
   *
   * @param out where the walkthrough prints
   * @return the context
   */
  public static Demo standard(PrintStream out) {
    List<Integer> races = IntStream.rangeClosed(1, 40).boxed().collect(Collectors.toList());
    // look up some runners of this run and some from the history
    List<Integer> bibs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      bibs.add((1 + i % 40) * 1000 + i);
      bibs.add(100_000_000 + i * 19_997);
    }
    return new Demo(out, RaceSite.standard(), races, bibs);
  }

  /** @return where to print */
  public PrintStream out() {
    return out;
  }

  /** @return the simulated site */
  public RaceSite site() {
    return site;
  }

  /** @return the races each run processes */
  public List<Integer> raceIds() {
    return raceIds;
  }

  /** @return the runners each run looks up */
  public List<Integer> runnerBibs() {
    return runnerBibs;
  }

  /** @return the baseline run, once measured */
  public Run baseline() {
    return Objects.requireNonNull(baseline, "baseline not measured yet");
  }

  void setBaseline(Run run) {
    this.baseline = run;
  }

  /**
   * Opens a fresh in-memory DuckDB with the history loaded, for a run or a step's own experiment.
   *
   * @return an open connection; the caller closes it
   * @throws Exception if DuckDB cannot start
   */
  public Connection openDatabase() throws Exception {
    Connection connection = DriverManager.getConnection("jdbc:duckdb:");
    ResultStore.createWithHistory(connection);
    return connection;
  }

  /**
   * Runs the pipeline once on a fresh database and measures it stage by stage.
   *
   * @param label what the run is called in the summary
   * @param pipeline the pipeline
   * @return the measured run
   * @throws Exception if the pipeline fails
   */
  public Run measure(String label, Pipeline pipeline) throws Exception {
    try (Connection db = openDatabase()) {
      StageMeasurement measurement = StageMeasurement.start(label);
      Pipeline.Outcome outcome = pipeline.run(raceIds, runnerBibs, db, measurement::stage);
      Run run = new Run(label, pipeline.changes(), measurement.finish(), outcome);
      runs.add(run);
      return run;
    }
  }

  /**
   * Compares two pipelines with perf-core's {@link Compare} on a quarter of the workload (10 races,
   * 25 look-ups), each on its own database opened once, in interleaved rounds.
   *
   * @param before the baseline pipeline
   * @param after the optimized pipeline
   * @param rounds measured rounds
   * @return the comparison, with the speedup's interval and significance
   * @throws Exception if a database cannot be opened
   */
  public Comparison compare(Pipeline before, Pipeline after, int rounds) throws Exception {
    List<Integer> races = raceIds.subList(0, raceIds.size() / 4);
    List<Integer> bibs = runnerBibs.subList(0, runnerBibs.size() / 4);
    try (Connection dbBefore = openDatabase(); Connection dbAfter = openDatabase()) {
      Pipeline.Stages none = name -> () -> { };
      return Compare.named("pipeline, a quarter of the workload")
          .baseline("baseline", () -> runUnchecked(before, races, bibs, dbBefore, none))
          .add("all steps", () -> runUnchecked(after, races, bibs, dbAfter, none))
          .warmupRounds(1).rounds(rounds).build().run();
    }
  }

  private static Pipeline.Outcome runUnchecked(Pipeline pipeline, List<Integer> races,
      List<Integer> bibs, Connection db, Pipeline.Stages stages) {
    try {
      return pipeline.run(races, bibs, db, stages);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return every measured run, in order */
  List<Run> runs() {
    return List.copyOf(runs);
  }

  /** @return the before/after table of every measured run */
  String summary() {
    StringBuilder text = new StringBuilder();
    int width = runs.stream().mapToInt(r -> r.label().length()).max().orElse(3);
    text.append(String.format("%-" + width + "s %12s %10s%n", "run", "wall ms", "speedup"));
    for (Run run : runs) {
      text.append(String.format("%-" + width + "s %12.1f %9.2fx%n", run.label(), run.wallMillis(),
          baseline().wallMillis() / run.wallMillis()));
    }
    return text.toString();
  }

  /** Prints the before/after table of every measured run. */
  void printSummary() {
    out.println();
    out.println("== Summary ==");
    out.print(summary());
  }

  /** Formats a duration for the walkthrough's lines, in milliseconds. */
  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }

  /** One measured run of the pipeline. */
  public static final class Run {
    private final String label;
    private final List<String> changes;
    private final StageMeasurement.Result stages;
    private final Pipeline.Outcome outcome;

    Run(String label, List<String> changes, StageMeasurement.Result stages, Pipeline.Outcome outcome) {
      this.label = label;
      this.changes = changes;
      this.stages = stages;
      this.outcome = outcome;
    }

    /** @return the run's label */
    public String label() {
      return label;
    }

    /** @return the changes against the baseline */
    public List<String> changes() {
      return changes;
    }

    /** @return the whole run's wall time in milliseconds */
    public double wallMillis() {
      return stages.wallNanos() / 1e6;
    }

    /** @return the stage measurement */
    public StageMeasurement.Result stages() {
      return stages;
    }

    /** @return what the run computed */
    public Pipeline.Outcome outcome() {
      return outcome;
    }

    void print(PrintStream out) {
      if (!changes.isEmpty()) {
        out.println("changes: " + String.join("; ", changes));
      }
      out.print(stages.report());
      out.printf("stored %d rows, read %d, found %d runner results; fastest clubs: %s%n",
          outcome.rowsStored(), outcome.rowsRead(), outcome.runnersFound(), outcome.fastestClubs());
    }

    void checkSameAnswerAs(Run other) {
      if (!outcome.equals(other.outcome)) {
        throw new IllegalStateException("the optimized pipeline computed " + outcome
            + " but the baseline computed " + other.outcome);
      }
    }
  }
}
