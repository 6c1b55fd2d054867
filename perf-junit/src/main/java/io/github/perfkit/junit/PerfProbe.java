package io.github.perfkit.junit;

import io.github.perfkit.core.CheckedRunnable;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link PerfBudget} test measures with: {@link #measure} runs the section as the annotation
 * says (warm-up, then measured runs) and keeps the measurement for the budget check after the test.
 * One per test invocation, injected as a test method parameter; not thread-safe.
 */
public final class PerfProbe {

  private final String name;
  private final int warmup;
  private final int runs;
  private SectionMeasurement last;

  PerfProbe(String name, int warmup, int runs) {
    this.name = name;
    this.warmup = warmup;
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
    last = SectionMeasurement.measure(name, warmup, runs, section);
    return last;
  }

  /** @return the measurement's name */
  public String name() {
    return name;
  }

  /** @return the last measurement, if {@link #measure} was called */
  public Optional<SectionMeasurement> measurement() {
    return Optional.ofNullable(last);
  }
}
