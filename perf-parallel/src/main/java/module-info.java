/** perfkit parallel: bounded executors, guards, batching. See {@link io.github.perfkit.parallel}. */
module io.github.perfkit.parallel {
  requires transitive io.github.perfkit.core;
  requires io.github.resilience4j.core;
  requires transitive io.github.resilience4j.ratelimiter;
  requires transitive io.github.resilience4j.retry;

  exports io.github.perfkit.parallel;
}
