package io.github.perfkit.examples;

/**
 * One optimization step of the walkthrough: it takes the pipeline as the previous steps left it and
 * returns it with one stage replaced by a perfkit primitive. The walkthrough then measures the result
 * against the baseline. A step prints what it wants to show (a hit ratio, a plan) through
 * {@link Demo#out()}.
 */
public interface DemoStep {

  /** @return a short title, e.g. "Cache the club lookup (perf-cache)" */
  String title();

  /**
   * Returns the improved pipeline.
   *
   * @param current the pipeline so far
   * @param demo the walkthrough's shared context
   * @return the pipeline with this step's change
   * @throws Exception if preparing the step fails
   */
  Pipeline apply(Pipeline current, Demo demo) throws Exception;

  /**
   * Called after the improved pipeline was measured, to print the step's own evidence.
   *
   * @param demo the walkthrough's shared context
   * @param run the measured run
   * @throws Exception if reporting fails
   */
  default void report(Demo demo, Demo.Run run) throws Exception {}

  /**
   * Releases what the step holds (executors, batchers). Called once the whole walkthrough is done:
   * later steps keep using the pipeline this step built.
   */
  default void close() {}
}
