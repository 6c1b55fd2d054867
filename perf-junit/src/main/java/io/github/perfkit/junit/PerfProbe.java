package io.github.perfkit.junit;

import io.github.perfkit.core.CheckedRunnable;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link PerfBudget} test measures with: {@link #measure} runs the section as the annotation
 * says (warm-up until the run times settle, then measured runs) and keeps the measurement for the budget check after the test.
 * One per test invocation, injected as a test method parameter; not thread-safe.
 */
public final class PerfProbe {

  private final String name;
  private final int warmup;
  private final java.time.Duration warmupLimit;
  private final int runs;
  private SectionMeasurement last;
  private CheckedRunnable<?> lastSection;

  PerfProbe(String name, int warmup, java.time.Duration warmupLimit, int runs) {
    this.name = name;
    this.warmup = warmup;
    this.warmupLimit = warmupLimit;
    this.runs = runs;
  }

  /**
   * Measures the section; a second call replaces the first measurement.
   *
   * @param section the code under budget
   * @param <E> what it may throw
   * @return the measurement (the test may assert on it too)
   * @throws E whatever the section throws
   */
  public <E extends Exception> SectionMeasurement measure(CheckedRunnable<E> section) throws E {
    Objects.requireNonNull(section, "section");
    last = SectionMeasurement.measure(name, warmup, warmupLimit, runs, section);
    lastSection = section;
    return last;
  }

  /** @return the measurement's name */
  public String name() {
    return name;
  }

  /** @return the section last measured, for a confirming re-measurement, or null */
  CheckedRunnable<?> section() {
    return lastSection;
  }

  /** @return the last measurement, if {@link #measure} was called */
  public Optional<SectionMeasurement> measurement() {
    return Optional.ofNullable(last);
  }
}
