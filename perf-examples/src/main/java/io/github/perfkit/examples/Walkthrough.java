package io.github.perfkit.examples;

import io.github.perfkit.core.Comparison;
import io.github.perfkit.core.PerfReport;
import io.github.perfkit.core.Profile;
import io.github.perfkit.core.Profiler;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The runnable walkthrough: a deliberately slow race-results pipeline on an embedded DuckDB, profiled
 * and diagnosed with perf-core, then made faster one perfkit primitive at a time, each step measured
 * against the baseline, and closed with a before/after comparison and an HTML report. Run it with {@code ./mvnw -q -Pdemo -pl perf-examples -am verify -DskipTests}.
 */
public final class Walkthrough {

  /** The optimization steps, in the order the story tells them. */
  static List<DemoStep> steps() {
    return List.of(new CacheStep(), new ParallelStep(), new JdbcStep(), new AggregateStep());
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

    out.println("== Baseline, profiled: where does the time go, and why? ==");
    Pipeline pipeline = Pipeline.baseline(demo.site());
    Pipeline first = pipeline;
    Demo.Run[] measured = new Demo.Run[1];
    Profile profile = Profiler.named("baseline pipeline").top(8)
        .build().profile(() -> measured[0] = demo.measure("baseline", first));
    Demo.Run baseline = measured[0];
    demo.setBaseline(baseline);
    baseline.print(out);
    out.println();
    out.print(profile.text());

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

    out.println();
    out.println("== Before against after (perf-core Compare) ==");
    out.println("(interleaved rounds on a quarter of the workload, so the query over the 1,000,000"
        + " history rows weighs more; the optimized pipeline's club cache stays warm between rounds,"
        + " as it would in a running service)");
    Comparison comparison = demo.compare(first, pipeline, 6);
    out.print(comparison.text());
    steps.forEach(DemoStep::close);

    PerfReport.Builder report = PerfReport.titled("perfkit walkthrough: race-results pipeline")
        .add(profile);
    for (Demo.Run run : demo.runs()) {
      report.add(run.stages().breakdown());
    }
    report.add(comparison).note("Summary", demo.summary());
    Path html = report.build().writeHtml(Path.of("target", "perfkit-walkthrough.html"));
    out.println();
    out.println("HTML report (profile, flame graph, stage charts, comparison): "
        + html.toAbsolutePath());
  }
}
