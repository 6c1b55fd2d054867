package io.github.perfkit.parallel;

/**
 * What kind of work a task does, which decides the executor that suits it.
 */
public enum Workload {
  /**
   * Mostly waiting (network, disk, a database, sleep): many tasks can be in flight at once; on Java 21+
   * each runs on a virtual thread.
   */
  IO_BOUND,
  /**
   * Mostly computing: parallelism equal to the processors available, more only adds switching.
   */
  CPU_BOUND
}
