package io.github.perfkit.parallel;

/**
 * What kind of work an executor runs, which decides how it runs it.
 */
public enum Workload {
  /**
   * Mostly waiting (network, disk, a database, sleep): many tasks can be in flight at once; on Java 21+
   * each runs on a virtual thread, on Java 17 on a bounded pool of platform threads.
   */
  IO_BOUND,
  /**
   * Mostly computing: a work-stealing pool with parallelism equal to the processors available (more
   * threads only add switching). Never the common pool, whose parallelism is processors - 1.
   */
  CPU_BOUND
}
