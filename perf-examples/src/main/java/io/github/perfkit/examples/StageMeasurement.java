package io.github.perfkit.examples;

import io.github.perfkit.core.BreakdownSnapshot;
import io.github.perfkit.core.StageBreakdown;

/** Measures one pipeline run with a perf-core {@link StageBreakdown}. Not thread-safe. */
public final class StageMeasurement {

  private final StageBreakdown breakdown;
  private final long start = System.nanoTime();

  private StageMeasurement(String label) {
    this.breakdown = StageBreakdown.create(label);
  }

  static StageMeasurement start(String label) {
    return new StageMeasurement(label);
  }

  AutoCloseable stage(String name) {
    return breakdown.stage(name);
  }

  Result finish() {
    return new Result(System.nanoTime() - start, breakdown.snapshot());
  }

  /**
   * The measured run.
   *
   * @param wallNanos the whole run's wall time
   * @param breakdown the stage breakdown
   */
  public record Result(long wallNanos, BreakdownSnapshot breakdown) {
    /** @return the breakdown as the text report perf-core prints for logs */
    public String report() {
      return breakdown.text();
    }
  }
}
