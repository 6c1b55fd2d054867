package io.github.perfkit.examples;

import java.io.PrintStream;
import java.util.List;

/**
 * The runnable walkthrough: a deliberately slow race-results pipeline on an embedded DuckDB, measured
 * with perf-core, then made faster one perfkit primitive at a time, each step measured against the
 * baseline. Run it with {@code ./mvnw -q -Pdemo -pl perf-examples -am verify -DskipTests}.
 */
public final class Walkthrough {

  /** The optimization steps, in the order the story tells them. */
  static List<DemoStep> steps() {
    return List.of(new CacheStep(), new ParallelStep(), new JdbcStep());
  }

  private Walkthrough() {}

  /**
   * Runs the walkthrough and prints its report.
   *
   * @param args ignored
   * @throws Exception if a step fails
   */
  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    Demo demo = Demo.standard(out);
    out.println("perfkit walkthrough: a race-results pipeline, measured and then made fast");
    out.printf("%d races x %d finishers, %d rows of history in DuckDB, JDK %s%n%n",
        demo.raceIds().size(), 200, ResultStore.HISTORY_ROWS, Runtime.version());

    out.println("== Baseline ==");
    Pipeline pipeline = Pipeline.baseline(demo.site());
    Demo.Run baseline = demo.measure("baseline", pipeline);
    demo.setBaseline(baseline);
    baseline.print(out);

    List<DemoStep> steps = steps();
    for (DemoStep step : steps) {
      out.println();
      out.println("== " + step.title() + " ==");
      pipeline = step.apply(pipeline, demo);
      Demo.Run run = demo.measure(step.title(), pipeline);
      run.print(out);
      run.checkSameAnswerAs(baseline);
      step.report(demo, run);
      out.printf("-> %s: %.1f ms, %.2fx faster than the baseline%n", step.title(), run.wallMillis(),
          baseline.wallMillis() / run.wallMillis());
    }
    demo.printSummary();
    steps.forEach(DemoStep::close);
  }
}
