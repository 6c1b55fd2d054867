package io.github.perfkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares a performance budget for a test: the test measures its section through the
 * {@link PerfProbe} parameter, and after the test the extension fails it, with a readable
 * explanation, when a budget is exceeded.
 *
 * <pre>{@code
 * @Test
 * @PerfBudget(p95 = "20ms", allocatedBytes = 512 * 1024, maxSlowdown = 0.10,
 *     baseline = "src/test/perf/baseline.json")
 * void parsesQuickly(PerfProbe probe) {
 *   probe.measure(() -> parser.parse(doc));      // warm-up, then the measured runs
 * }
 * }</pre>
 *
 * <p>Budgets left at their defaults are not checked. The baseline entry is named
 * {@code TestClass.testMethod} unless {@link #name()} says otherwise; a missing file or entry is
 * recorded on the first run (commit it), and {@code -Dperfkit.baseline.update=true} re-records.
 *
 * <p>{@link #maxSlowdown()} fails only on a change beyond the tolerance, the within-run noise and
 * the run-to-run spread of the baseline's and today's block medians, judged on the section's time
 * relative to a fixed CPU loop measured next to it in the same JVM: the ratio must have regressed
 * against the one recorded with the baseline, so a machine slower as a whole does not fail the test
 * (see {@link SectionAssert#isNotSlowerThanBaseline}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(PerfBudgetExtension.class)
public @interface PerfBudget {

  /** @return the most the median run may take, e.g. {@code "5ms"}; empty: not checked */
  String p50() default "";

  /** @return the most the 95th percentile run may take, e.g. {@code "20ms"}; empty: not checked */
  String p95() default "";

  /** @return the most the 99th percentile run may take; empty: not checked */
  String p99() default "";

  /** @return the most bytes a run may allocate (median); negative: not checked */
  long allocatedBytes() default -1;

  /** @return the slowdown tolerated against the baseline file, as a fraction; negative: not checked */
  double maxSlowdown() default -1;

  /** @return the baseline file (relative to the working directory), needed with maxSlowdown */
  String baseline() default "";

  /** @return the measurement's name in messages and the baseline; empty: Class.method */
  String name() default "";

  /**
   * @return the fewest unmeasured runs first; warm-up then goes on until the run times have
   *     settled, at most {@link #warmupLimit()}
   */
  int warmup() default 5;

  /**
   * @return the most time warm-up goes on, once {@link #warmup()} runs are done, waiting for the
   *     run times to settle, e.g. {@code "5s"} (the default); {@code "0s"}: exactly
   *     {@link #warmup()} runs. When it is hit the measurement says so.
   */
  String warmupLimit() default "5s";

  /** @return measured runs */
  int runs() default 30;

  /**
   * JVMs for {@link #maxSlowdown()}: the JIT compiles the same code into faster or slower machine
   * code from one JVM to the next (on a 2-core VM, unchanged code ran 16% slower in 1 of 30 fresh
   * JVMs, and 5% faster in 3, for each JVM's whole life), which no measurement inside one JVM can
   * see. So recording a
   * baseline entry runs this test again in {@code jvms - 1} fresh JVMs and keeps each JVM's level,
   * and a check that reads over half the tolerance in this JVM runs it again in {@code jvms - 1}
   * fresh JVMs and decides on the median over all of them. The fresh JVMs run one after another
   * with this JVM's java, class path and JVM options (less debugger agents), a few seconds each;
   * the test method runs again in them in full (so it must be repeatable), and there it only
   * measures. Not possible for parameterized or repeated tests, or on the module path: the check
   * then says it was not confirmed in a fresh JVM.
   *
   * @return JVMs in all, this one included, 1 to 9 (default 3; 1: this JVM only)
   */
  int jvms() default 3;
}
